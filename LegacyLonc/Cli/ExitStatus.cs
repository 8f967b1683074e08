namespace LegacyLonc.Cli;

/// <summary>
/// lonc's exit statuses, chosen so a supervisor can tell a refusal that restarting cannot cure from a crash
/// (sysexits.h numbers: systemd's <c>RestartPreventExitStatus=78</c> stops the restart loop on a typo).
/// </summary>
public static class ExitStatus
{
    /// <summary>Done, or running (a detached start whose daemon wrote its pid file).</summary>
    public const int Ok = 0;

    /// <summary>A failure restarting may cure: a crash, a daemon copy that died or hung, a failed re-exec.</summary>
    public const int Failure = 1;

    /// <summary>EX_USAGE: the command line is wrong.</summary>
    public const int Usage = 64;

    /// <summary>
    /// EX_CONFIG: the configuration or the environment (wrong user, a directory missing or writable by others,
    /// lonc already running) refuses start-up; it stays refused until an administrator changes something.
    /// </summary>
    public const int Config = 78;
}
