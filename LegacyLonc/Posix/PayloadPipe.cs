using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// A pipe that already holds all it will ever carry: the bytes are written and the write end closed at once, so a
/// spawned process given <see cref="ReadEnd"/> reads them and then end of file. The parent hands each child its
/// configuration this way (<c>Configuration.ConfigSnapshot</c>).
/// </summary>
/// <remarks>
/// The write end is non-blocking: a payload larger than the pipe's capacity (64 KiB, one page when the user is over
/// <c>pipe-user-pages-soft</c>) fails at once instead of waiting for a reader that does not exist yet. The read end is
/// close-on-exec and moved above the descriptors posix_spawn places, like <see cref="ReportPipe"/>'s write end.
/// </remarks>
public sealed class PayloadPipe : IDisposable
{
    private const int LowestReadFd = 10;

    private int _read = -1;

    /// <summary>Makes the pipe and fills it with <paramref name="payload"/>; <see cref="SystemCallException"/> when it cannot.</summary>
    public unsafe PayloadPipe(ReadOnlySpan<byte> payload)
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw new SystemCallException("pipe2", "for a child's configuration", Marshal.GetLastPInvokeError());
        try
        {
            var errno = 0;
            if (Libc.Fcntl(fds[1], Libc.F_SETFL, Libc.O_NONBLOCK) != 0)
                errno = Marshal.GetLastPInvokeError();
            else if (RawFile.WriteAll(fds[1], payload, out _) is not 0 and var failed)
                errno = failed;
            if (errno != 0)
                throw new SystemCallException("write", "a child's configuration into its pipe", errno);
            _read = Libc.Fcntl(fds[0], Libc.F_DUPFD_CLOEXEC, LowestReadFd);
            if (_read < 0)
                throw new SystemCallException("fcntl F_DUPFD_CLOEXEC", "for a child's configuration", Marshal.GetLastPInvokeError());
        }
        finally
        {
            Libc.Close(fds[0]);
            Libc.Close(fds[1]);
        }
    }

    /// <summary>The read end, to pass to the child.</summary>
    public int ReadEnd => _read;

    public void Dispose()
    {
        if (_read >= 0)
            Libc.Close(_read);
        _read = -1;
    }
}
