using System.Globalization;
using LegacyLonc.Posix;

namespace LegacyLonc.Testbed;

/// <summary><c>lonc-testbed soak --lonc PATH (--minutes N | --seconds N)</c>: runs a <see cref="SoakRun"/> and prints its report.</summary>
internal static class SoakCommand
{
    private const string Usage = """
        usage: lonc-testbed soak --lonc PATH (--minutes N | --seconds N) [--seed N] [--port N] [--block B]
                                [--signals LIST]
          --lonc PATH     the lonc executable to soak
          --minutes N     how long (whole minutes), or --seconds N
          --seed N        the random seed of the clients and faults (default: from the clock; printed)
          --port N        lond port of the sandboxes (default 18663)
          --block B       the hosts' addresses are 127.0.B.11-20 (default 230)
          --signals LIST  the signals sent to the daemons now and then, comma-separated from usr1, usr2, hup,
                          or none (default usr1,usr2,hup)
        Two lonc daemons on 10 loopback hosts (loncPipelineDepth 1: h1-h5, 8: h6-h10), one lond emulator per host,
        a lonnet-pattern and a persistent client per host, lond faults at random (restart, stall, garbage,
        trickle, close) and USR1/USR2/HUP now and then. Prints requests, con_lost, replies matched to their
        request, RSS and descriptors of every lonc process at start and end, crashes, and PASS or FAIL
        (RSS growth <= 5 %, descriptors constant, 0 misrouted, 0 crashes). Exit 0 on PASS, 1 on FAIL.
        """;

    public static int Run(string[] args)
    {
        SignalDefaults.Restore();
        string? lonc = null;
        TimeSpan? duration = null;
        int seed = Environment.TickCount, port = 18663, block = 230;
        var signals = SoakChaos.ParentSignals.Values.ToList();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{arg} needs a value");
            int Number(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new UsageException($"{arg}: '{text}' is not a whole number from {min} to {max}");
            }
            try
            {
                switch (arg)
                {
                    case "--help" or "-h":
                        Console.Out.Write(Usage);
                        return 0;
                    case "--lonc": lonc = Path.GetFullPath(Value()); break;
                    case "--minutes": duration = TimeSpan.FromMinutes(Number(1, 24 * 60)); break;
                    case "--seconds": duration = TimeSpan.FromSeconds(Number(1, 24 * 3600)); break;
                    case "--seed": seed = Number(0, int.MaxValue); break;
                    case "--port": port = Number(1, 65535); break;
                    case "--block": block = Number(0, 255); break;
                    case "--signals": signals = SignalList(Value()); break;
                    default: throw new UsageException($"unknown option '{arg}'");
                }
            }
            catch (UsageException e)
            {
                return Fail(e.Message);
            }
        }
        if (lonc is null || duration is null)
            return Fail("give --lonc PATH and --minutes N or --seconds N");
        if (!File.Exists(lonc))
            return Fail($"{lonc}: no such file");

        // Ctrl-C or SIGTERM ends the run early; the run still stops what it started and removes its directory.
        using var cancel = new CancellationTokenSource();
        using var stopSignals = new StopSignals(cancel.Cancel);

        var report = new SoakRun(new SoakOptions
        {
            Lonc = lonc,
            Duration = duration.Value,
            Seed = seed,
            Port = port,
            Block = block,
            Signals = signals,
            Cancel = cancel.Token,
        }, Console.Out).Run();
        report.Print(Console.Out);
        Console.Out.Flush();
        return report.Passed ? 0 : 1;
    }

    private static List<int> SignalList(string text)
    {
        if (text == "none")
            return new List<int>();
        return text.Split(',').Select(name => SoakChaos.ParentSignals.TryGetValue(name.Trim().ToLowerInvariant(), out var signo)
            ? signo
            : throw new UsageException($"--signals: '{name}' is not usr1, usr2 or hup")).Distinct().ToList();
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"lonc-testbed soak: {message}");
        Console.Error.Write(Usage);
        return 64;
    }
}
