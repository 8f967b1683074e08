using System.Diagnostics;
using System.Globalization;
using LegacyLonc.Logging;

namespace LegacyLonc.Testbed;

/// <summary>
/// <c>lonc-testbed log-writer</c>: writes numbered lines through <see cref="LoncLog"/> exactly as lonc does,
/// to check that many processes can share lonc.log and that rotating it by rename loses nothing.
/// </summary>
internal static class LogWriterCommand
{
    private const string Help =
        "usage: lonc-testbed log-writer --daemons DIR --host NAME --lines N [--perm]\n" +
        "                               [--interval-ms MS] [--log-config FILE] [--timing]\n" +
        "  Writes N lines 'log-writer line I of N' to DIR/logs/lonc.log as conserver NAME, after\n" +
        "  status 'log-writer NAME'.\n" +
        "  --perm          also write 'S:NAME:log-writer line I of N' to DIR/logs/lonnet.perm.log\n" +
        "  --interval-ms   pause between lines (e.g. to rename lonc.log while it runs)\n" +
        "  --log-config    route lonc.log through this log4net XML file instead of the built-in configuration\n" +
        "  --timing        print how long opening the log and writing the first line took\n";

    public static int Run(string[] args)
    {
        string? daemons = null, host = null, logConfig = null;
        int lines = -1, intervalMs = 0;
        bool perm = false, timing = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--help" or "-h":
                    Console.Out.Write(Help);
                    return 0;
                case "--perm":
                    perm = true;
                    continue;
                case "--timing":
                    timing = true;
                    continue;
            }
            if (i + 1 >= args.Length)
                return Usage($"{arg} needs a value");
            var value = args[++i];
            switch (arg)
            {
                case "--daemons": daemons = value; break;
                case "--host": host = value; break;
                case "--log-config": logConfig = value; break;
                case "--lines" when TryCount(value, out lines): break;
                case "--interval-ms" when TryCount(value, out intervalMs): break;
                case "--lines" or "--interval-ms": return Usage($"{arg} wants a whole number >= 0, not '{value}'");
                default: return Usage($"unknown option '{arg}'");
            }
        }
        if (daemons is null || host is null || lines < 0)
            return Usage("--daemons, --host and --lines are required");

        var clock = Stopwatch.StartNew();
        var log = LoncLog.Open(daemons, host, logConfig);
        var opened = clock.Elapsed;
        log.Status($"log-writer {host}");
        for (var i = 1; i <= lines; i++)
        {
            var text = $"log-writer line {i} of {lines}";
            log.Log(text);
            if (i == 1 && timing)
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"open: {opened.TotalMilliseconds:0.000} ms, open + first line: {clock.Elapsed.TotalMilliseconds:0.000} ms"));
            if (perm)
                log.Perm($"S:{host}:{text}");
            if (intervalMs > 0 && i < lines)
                Thread.Sleep(intervalMs);
        }
        log.Flush();
        return 0;
    }

    private static bool TryCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"lonc-testbed log-writer: {problem}");
        Console.Error.Write(Help);
        return 64;
    }
}
