using System.Runtime.InteropServices;
using System.Text;
using LegacyLonc.Child;

namespace LegacyLonc.Parent;

/// <summary>
/// The parent's end of the children's report pipe (<see cref="ParentChannel"/>): one pipe for all children,
/// its write end handed to each child as descriptor 3, its read end in the main loop's wait set next to the
/// signal pipe. Both ends are non-blocking and close-on-exec (a HUP re-exec makes a new pipe).
/// </summary>
public sealed class ChildReports : IDisposable
{
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;
    private const int F_DUPFD_CLOEXEC = 1030;
    private const short POLLIN = 1;
    private const int EINTR = 4;
    // The write end is moved above the descriptors posix_spawn places, so dup2 onto 3 is never a no-op.
    private const int LowestWriteFd = 10;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int pipe2(int[] fds, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int cmd, int arg);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe nint read(int fd, byte* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    private readonly byte[] _buffer = new byte[4096];
    private readonly List<byte> _partial = new();
    private readonly PollFd[] _pollSet = new PollFd[2];
    private int _read = -1;
    private int _write = -1;

    public ChildReports()
    {
        var fds = new int[2];
        if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
            throw new IOException($"pipe2: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        _read = fds[0];
        var moved = fcntl(fds[1], F_DUPFD_CLOEXEC, LowestWriteFd);
        if (moved < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            close(fds[0]);
            close(fds[1]);
            throw new IOException($"fcntl F_DUPFD_CLOEXEC: {Marshal.GetPInvokeErrorMessage(error)}");
        }
        close(fds[1]);
        _write = moved;
    }

    /// <summary>The descriptor to pass to every child (it becomes the child's descriptor 3).</summary>
    public int WriteEnd => _write;

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> until a report or <paramref name="otherFd"/> (the signal pipe) is readable.
    /// </summary>
    public void Wait(int otherFd, int timeoutMs)
    {
        _pollSet[0] = new PollFd { Fd = _read, Events = POLLIN };
        _pollSet[1] = new PollFd { Fd = otherFd, Events = POLLIN };
        // EINTR or an error: the loop comes round again within its poll interval anyway.
        poll(_pollSet, 2, timeoutMs);
    }

    /// <summary>
    /// Every complete report line that has arrived, parsed; <paramref name="malformed"/> gets the lines that are
    /// not reports (escaped by the logger), which the caller logs.
    /// </summary>
    public IReadOnlyList<ParentChannel.Message> Take(List<string> malformed)
    {
        var messages = new List<ParentChannel.Message>();
        while (true)
        {
            nint n;
            unsafe
            {
                fixed (byte* p = _buffer)
                    n = read(_read, p, _buffer.Length);
            }
            if (n < 0 && Marshal.GetLastPInvokeError() == EINTR)
                continue;
            if (n <= 0)
                break;
            Split(_buffer.AsSpan(0, (int)n), messages, malformed);
            if (n < _buffer.Length)
                break;
        }
        return messages;
    }

    private void Split(ReadOnlySpan<byte> bytes, List<ParentChannel.Message> messages, List<string> malformed)
    {
        foreach (var b in bytes)
        {
            if (b != (byte)'\n')
            {
                // A line longer than any report cannot be one; keep only its beginning for the log.
                if (_partial.Count <= ParentChannel.MaxLine)
                    _partial.Add(b);
                continue;
            }
            var line = Encoding.Latin1.GetString(_partial.ToArray());
            _partial.Clear();
            if (ParentChannel.TryParse(line, out var message))
                messages.Add(message);
            else
                malformed.Add(line);
        }
    }

    public void Dispose()
    {
        if (_read >= 0)
            close(_read);
        if (_write >= 0)
            close(_write);
        _read = _write = -1;
    }
}
