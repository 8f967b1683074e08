using LegacyLonc.Child;
using LegacyLonc.Cli;
using LegacyLonc.Parent;
using LegacyLonc.Posix;
using LegacyLonc.Reports;

namespace LegacyLonc;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before anything registers a handler or creates a file: whatever the launcher left behind
        // (nohup's ignored HUP, a shell's umask 000) must not decide how lonc behaves.
        SignalDefaults.Restore();
        FileCreationMask.SetDaemonMask();

        LoncOptions options;
        try
        {
            options = LoncOptions.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"lonc: {e.Message}");
            return ExitStatus.Usage;
        }

        // The detached daemon hands its streams over after start-up (StandardStreams.Take); the console must follow.
        if (options.Mode == LoncMode.Daemon && options.Detached)
            StandardStreams.BindConsole();

        if (options.Mode == LoncMode.Child && !ParentDeath.Watch())
        {
            // Spawned a moment before the parent died: nothing was opened yet, so there is nothing to clean up.
            Console.Error.WriteLine($"lonc child {options.ChildHost}: the lonc parent (pid {ParentDeath.AnnouncedParent()}) is gone; not starting");
            return HostChild.ExitCode.Stopped;
        }

        // A child's line to its parent (reset_retries, online, sleeping); see ParentChannel.
        ParentChannel.Attach(options.ReportFd);

        try
        {
            // Before any file is opened or created: run as the wrong user (root by mistake), lonc would leave
            // logs, a pid file or sockets behind that the right user cannot write later.
            if (UserRefusal(options) is { } refusal)
            {
                Console.Error.WriteLine(refusal);
                return ExitStatus.Config;
            }
            return options.Mode switch
            {
                LoncMode.Help => Print(Usage.HelpText),
                LoncMode.Version => Print(Usage.VersionText),
                LoncMode.CheckConfig => ConfigReport.Run(options, Console.Out, Console.Error),
                LoncMode.Status => StatusCommand.Run(options, Console.Out, Console.Error),
                LoncMode.Child => HostChild.Run(options),
                _ => Supervisor.Run(options),
            };
        }
        catch (UnixAccount.HelperMissingException e)
        {
            // An installation error, not a crash: one line, no stack trace.
            Console.Error.WriteLine($"lonc: {e.Message}");
            return ExitStatus.Failure;
        }
    }

    /// <summary>The one-line refusal when the daemon or a child does not run as <c>--user</c>; else null.</summary>
    /// <remarks>
    /// A child the parent spawned (it has <c>--report-fd</c>) inherited the effective user the parent checked
    /// against the same <c>--user</c>, so it is spared the account lookup (and loading Mono.Posix's helper,
    /// which no child needs otherwise); a child started by hand is checked like the daemon.
    /// </remarks>
    private static string? UserRefusal(LoncOptions options)
    {
        var checkedHere = options.Mode == LoncMode.Daemon || (options.Mode == LoncMode.Child && options.ReportFd is null);
        if (!checkedHere || EffectiveUser.Mismatch(options.User) is not { } mismatch)
            return null;
        var who = options.Mode == LoncMode.Child ? $"lonc child {options.ChildHost}" : "lonc";
        return $"{who}: User ID mismatch.  lonc must be run as user {options.User} ({mismatch}); nothing was started or written";
    }

    private static int Print(string text)
    {
        Console.Out.Write(text);
        return 0;
    }
}
