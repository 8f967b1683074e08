using LegacyLonc.Child;
using LegacyLonc.Cli;
using LegacyLonc.Parent;
using LegacyLonc.Posix;

namespace LegacyLonc;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before anything touches the console: undo SIG_IGN inherited from a background shell.
        SignalDefaults.Restore();

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

        // A child's line to its parent (reset_retries, online, sleeping); see ParentChannel.
        ParentChannel.Attach(options.ReportFd);

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

    private static int Print(string text)
    {
        Console.Out.Write(text);
        return 0;
    }
}
