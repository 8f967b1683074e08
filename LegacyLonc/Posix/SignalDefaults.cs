using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Undoes signal dispositions inherited from the shell. A job started in the background inherits
/// SIGINT/SIGQUIT as ignored, and .NET then never runs a handler for them; an inherited ignored
/// SIGCHLD makes the kernel reap children behind waitpid's back. Must run first in Main.
/// </summary>
/// <remarks>
/// A direct libc call rather than Mono.Posix's <c>Stdlib.SetSignalAction</c>: the first Mono.Posix call of a
/// process loads its native helper (15–20 ms measured), and every child pays this at start-up.
/// Setting SIG_DFL/SIG_IGN involves no handler, so signal(2) is as safe here as sigaction.
/// </remarks>
public static class SignalDefaults
{
    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr signal(int signum, IntPtr handler);

    private static readonly IntPtr SigDfl = IntPtr.Zero;
    private static readonly IntPtr SigIgn = new(1);
    private const int SIGINT = 2, SIGQUIT = 3, SIGPIPE = 13, SIGCHLD = 17;

    public static void Restore()
    {
        signal(SIGINT, SigDfl);
        signal(SIGQUIT, SigDfl);
        signal(SIGCHLD, SigDfl);
        // .NET ignores SIGPIPE itself; a write to a vanished lonnet client is an error code, never a death.
        signal(SIGPIPE, SigIgn);
    }
}
