using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Undoes signal dispositions inherited from whoever started lonc, so every signal lonc handles works
/// whatever the launcher did. Must run first in Main, in the parent and in every child.
/// </summary>
/// <remarks>
/// <para>An ignored disposition survives execve, and .NET then never runs a registered handler for that
/// signal: <c>nohup</c> hands HUP over ignored (the HUP restart silently did nothing), a background job of a
/// non-interactive shell INT and QUIT, a launcher may ignore anything else. An inherited ignored SIGCHLD
/// would also make the kernel reap children behind waitpid's back. So every signal lonc catches (HUP, INT,
/// QUIT, USR1, USR2, TERM, CHLD) is set back to its default before any handler is registered.</para>
/// <para>PIPE is the exception and is set to ignored: a write to a lonnet client or lond that has gone must
/// come back as an error (EPIPE) and cost that one connection, never kill the process. The runtime ignores
/// it for the same reason; saying so here keeps it true whatever the host does.</para>
/// <para>Until a handler is registered (~0.1 s after start) the default action applies, as it does for any
/// daemon started without nohup. A HUP restart hands its signals over blocked (see <see cref="SignalMask"/>),
/// so nothing is lost there.</para>
/// <para>A direct libc call rather than Mono.Posix's <c>Stdlib.SetSignalAction</c>: the first Mono.Posix call of
/// a process loads its native helper (15–20 ms measured), and every child pays this at start-up. Setting
/// SIG_DFL/SIG_IGN involves no handler, so signal(2) is as safe here as sigaction.</para>
/// </remarks>
public static partial class SignalDefaults
{
    private static readonly IntPtr SigDfl = IntPtr.Zero;
    private static readonly IntPtr SigIgn = new(1);

    private const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13, SIGTERM = 15, SIGCHLD = 17;

    /// <summary>The signals lonc handles somewhere (parent or child); each starts at its default action.</summary>
    public static IReadOnlyList<int> Defaulted { get; } = new[] { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGCHLD };

    /// <summary>Sets <see cref="Defaulted"/> to SIG_DFL and SIGPIPE to SIG_IGN.</summary>
    public static void Restore()
    {
        foreach (var signo in Defaulted)
            signal(signo, SigDfl);
        signal(SIGPIPE, SigIgn);
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr signal(int signum, IntPtr handler);
}
