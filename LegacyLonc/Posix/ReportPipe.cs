using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// A pipe whose ends are both non-blocking and close-on-exec, its write end moved above the descriptors
/// posix_spawn places (so handing it on as a child's descriptor 3 is never a dup2 onto itself). The parent's
/// children report to it (<c>Reports.ChildReports</c>); a HUP re-exec makes a new one.
/// </summary>
public sealed class ReportPipe : IDisposable
{
    // The write end is moved here or above, clear of 0-2 and of the descriptor 3 posix_spawn places.
    private const int LowestWriteFd = 10;

    private readonly Libc.PollFd[] _pollSet = new Libc.PollFd[2];
    private int _read = -1;
    private int _write = -1;

    public unsafe ReportPipe()
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC | Libc.O_NONBLOCK) != 0)
            throw new SystemCallException("pipe2", "for the children's reports", Marshal.GetLastPInvokeError());
        _read = fds[0];
        var moved = Libc.Fcntl(fds[1], Libc.F_DUPFD_CLOEXEC, LowestWriteFd);
        var errno = Marshal.GetLastPInvokeError();
        Libc.Close(fds[1]);
        if (moved < 0)
        {
            Libc.Close(fds[0]);
            _read = -1;
            throw new SystemCallException("fcntl F_DUPFD_CLOEXEC", "for the children's reports", errno);
        }
        _write = moved;
    }

    /// <summary>The write end (what every child gets as its descriptor 3).</summary>
    public int WriteEnd => _write;

    /// <summary>Waits up to <paramref name="timeoutMs"/> until the read end or <paramref name="otherFd"/> is readable.</summary>
    public unsafe void Wait(int otherFd, int timeoutMs)
    {
        _pollSet[0] = new Libc.PollFd { Fd = _read, Events = Libc.POLLIN };
        _pollSet[1] = new Libc.PollFd { Fd = otherFd, Events = Libc.POLLIN };
        // EINTR or an error: the caller's loop comes round again within its poll interval anyway.
        fixed (Libc.PollFd* set = _pollSet)
            Libc.Poll(set, 2, timeoutMs);
    }

    /// <summary>Reads what is there without waiting: the bytes read, 0 when nothing is (or on an error).</summary>
    public int Read(Span<byte> buffer)
    {
        var n = RawFile.Read(_read, buffer, out _);
        return n > 0 ? (int)n : 0;
    }

    public void Dispose()
    {
        if (_read >= 0)
            Libc.Close(_read);
        if (_write >= 0)
            Libc.Close(_write);
        _read = _write = -1;
    }
}
