using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>waitpid(2) without blocking: reaps a child that has ended, retrying EINTR.</summary>
public static class ProcessWait
{
    private const int WNOHANG = 1;

    /// <summary>
    /// waitpid(<paramref name="pid"/>, WNOHANG) (-1: any child): the pid of a reaped child with its
    /// <paramref name="status"/>, 0 while none has ended, -1 on error (<paramref name="errno"/>; ECHILD: no such child).
    /// </summary>
    public static unsafe int Poll(int pid, out WaitStatus status, out int errno)
    {
        int raw = 0, r;
        errno = 0;
        do
        {
            r = Libc.WaitPid(pid, &raw, WNOHANG);
        } while (r < 0 && (errno = Marshal.GetLastPInvokeError()) == Errno.EINTR);
        status = new WaitStatus(r > 0 ? raw : 0);
        return r;
    }
}
