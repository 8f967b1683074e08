using LegacyLonc.Child;
using LegacyLonc.Cli;
using LegacyLonc.Parent;
using LegacyLonc.Posix;

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
            return 64;
        }

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
            return 1;
        }
    }

    private static int Print(string text)
    {
        Console.Out.Write(text);
        return 0;
    }
}
