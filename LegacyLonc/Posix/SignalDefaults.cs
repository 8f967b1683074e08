using Mono.Unix.Native;

namespace LegacyLonc.Posix;

/// <summary>
/// Undoes signal dispositions inherited from the shell. A job started in the background inherits
/// SIGINT/SIGQUIT as ignored, and .NET then never runs a handler for them; an inherited ignored
/// SIGCHLD makes the kernel reap children behind waitpid's back. Must run first in Main.
/// </summary>
public static class SignalDefaults
{
    public static void Restore()
    {
        Stdlib.SetSignalAction(Signum.SIGINT, SignalAction.Default);
        Stdlib.SetSignalAction(Signum.SIGQUIT, SignalAction.Default);
        Stdlib.SetSignalAction(Signum.SIGCHLD, SignalAction.Default);
        Stdlib.SetSignalAction(Signum.SIGPIPE, SignalAction.Ignore);
    }
}
