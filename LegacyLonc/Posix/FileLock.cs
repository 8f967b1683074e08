using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// flock(2) on an open descriptor: the lock the parent and the children take on loncstatus.txt, so a line is
/// never torn and the header is never written under a child's append (<c>Parent.StatusReport</c>,
/// <c>Child.ChildStatusReport</c>), and the one the parent holds on lonc.pid for its lifetime (<see cref="ExclusiveFile"/>).
/// </summary>
/// <remarks>
/// A blocking flock returns EINTR when a signal handler runs meanwhile; .NET's handlers run on their own thread,
/// but a signal can still land on the waiting one. The wait is retried, a bounded number of times, so a USR1
/// storm cannot turn a lock into a lost status line.
/// </remarks>
public static class FileLock
{
    private const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4;
    private const int MaxInterrupts = 100;

    /// <summary>Waits for an exclusive lock; 0 once held, otherwise the errno.</summary>
    public static int Exclusive(int fd) => Take(fd, LOCK_EX);

    /// <summary>An exclusive lock without waiting: 0 once held, <see cref="Errno.EAGAIN"/> while another holds it, otherwise the errno.</summary>
    public static int TryExclusive(int fd) => Take(fd, LOCK_EX | LOCK_NB);

    /// <summary>Waits for a shared lock; 0 once held, otherwise the errno.</summary>
    public static int Shared(int fd) => Take(fd, LOCK_SH);

    private static int Take(int fd, int operation)
    {
        for (var interrupts = 0; ; interrupts++)
        {
            if (Libc.Flock(fd, operation) == 0)
                return 0;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR || interrupts >= MaxInterrupts)
                return errno;
        }
    }
}
