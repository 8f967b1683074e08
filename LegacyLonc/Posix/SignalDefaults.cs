namespace LegacyLonc.Posix;

/// <summary>
/// Undoes signal dispositions inherited as ignored from whoever started lonc, so every signal lonc handles
/// works whatever the launcher did. Must run first in Main, in the parent and in every child.
/// </summary>
/// <remarks>
/// <para>An ignored disposition survives execve, and .NET then never runs a registered handler for that
/// signal: <c>nohup</c> hands HUP over ignored (the HUP restart silently did nothing), a background job of a
/// non-interactive shell INT and QUIT, a launcher may ignore anything else. An inherited ignored SIGCHLD
/// would also make the kernel reap children behind waitpid's back. So each signal lonc catches (HUP, INT,
/// QUIT, USR1, USR2, TERM, CHLD) that is ignored at start is set back to its default before any handler is
/// registered. A signal that is not ignored is left alone: the runtime installs its own handlers for INT, QUIT
/// and TERM before Main, and tearing those down is not ours to do.</para>
/// <para>PIPE is the exception and stays ignored: a write to a lonnet client or lond that has gone must come
/// back as an error (EPIPE) and cost that one connection, never kill the process. The runtime ignores it for
/// the same reason; setting it here keeps that true whatever the host does.</para>
/// <para>Until a handler is registered (~0.1 s after start) the default action applies, as it does for any
/// daemon started without nohup. A HUP restart hands its signals over blocked (see <see cref="SignalMask"/>),
/// so nothing is lost there.</para>
/// <para>Setting SIG_DFL/SIG_IGN involves no handler, so signal(2) is as safe here as sigaction.</para>
/// </remarks>
public static class SignalDefaults
{
    private static readonly IntPtr SigDfl = IntPtr.Zero;
    private static readonly IntPtr SigIgn = new(1);

    // glibc's struct sigaction (152 bytes on x86-64 and arm64) starts with the handler; room to spare.
    private const int SigactionBytes = 256;

    /// <summary>The signals lonc handles somewhere (parent or child); none of them may start out ignored.</summary>
    public static IReadOnlyList<int> Handled { get; } = new[] { Signals.Hup, Signals.Int, Signals.Quit, Signals.Usr1, Signals.Usr2, Signals.Term, Signals.Chld };

    /// <summary>Sets each of <see cref="Handled"/> that is ignored to SIG_DFL, and SIGPIPE to SIG_IGN.</summary>
    public static void Restore()
    {
        foreach (var signo in Handled)
            if (IsIgnored(signo))
                Libc.Signal(signo, SigDfl);
        Libc.Signal(Signals.Pipe, SigIgn);
    }

    /// <summary>True when <paramref name="signo"/>'s disposition in this process is SIG_IGN.</summary>
    public static unsafe bool IsIgnored(int signo)
    {
        var old = stackalloc byte[SigactionBytes];
        return Libc.SigAction(signo, null, old) == 0 && *(IntPtr*)old == SigIgn;
    }
}
