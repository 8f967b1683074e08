using System.Globalization;

namespace LegacyLonc.Testbed;

/// <summary>
/// <c>lonc-testbed client</c>: talks to a lonc UNIX socket like lonnet does — one connection per line —
/// or puts load on it and prints one <see cref="LoadReport"/> line.
/// </summary>
internal static class LonnetClientCommand
{
    private const string Usage = """
        usage: lonc-testbed client --socket PATH [--timeout S] LINE...
               lonc-testbed client --socket PATH --load [--clients C] (--seconds S | --requests N)
                                   [--persistent] [--payload-bytes N] [--timeout S]
          LINE...            each sent on a new connection (lonnet's subreply); the replies are printed one per
                             line, a missing one as con_lost (with the reason on stderr, and exit status 1).
                             Without LINE arguments the lines are read from stdin.
          --timeout S        per-request timeout in seconds (default 10)
          --load             send echo:<client>-<seq>-<payload> requests from C clients (default 1), check every
                             reply, and print "load clients=.. persistent=.. requests=.. ok=.. failures=..
                             mismatches=.. seconds=.. rps=.. p50_us=.. p99_us=.."; exit 1 on any failure or mismatch
          --persistent       one connection per client for all its requests (default: one per request)
          --payload-bytes N  filler bytes after the id in each request (default 26)
        """;

    public static int Run(string[] args)
    {
        string? socket = null;
        var timeout = TimeSpan.FromSeconds(10);
        var load = false;
        var persistent = false;
        int clients = 1, payloadBytes = 26;
        long? requests = null;
        double? seconds = null;
        var lines = new List<string>();

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                    throw new UsageException($"{arg} needs a value");
                return args[++i];
            }
            double Positive()
            {
                var text = Value();
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
                    ? d
                    : throw new UsageException($"{arg}: '{text}' is not a positive number");
            }
            try
            {
                switch (arg)
                {
                    case "--help" or "-h":
                        Console.Out.Write(Usage);
                        return 0;
                    case "--socket": socket = Value(); break;
                    case "--timeout": timeout = TimeSpan.FromSeconds(Positive()); break;
                    case "--load": load = true; break;
                    case "--persistent": persistent = true; break;
                    case "--clients": clients = WholeNumber(arg, Positive()); break;
                    case "--seconds": seconds = Positive(); break;
                    case "--requests": requests = WholeNumber(arg, Positive()); break;
                    case "--payload-bytes": payloadBytes = int.TryParse(Value(), out var p) && p >= 0 ? p : throw new UsageException("--payload-bytes needs a number >= 0"); break;
                    case "--":
                        lines.AddRange(args[(i + 1)..]);
                        i = args.Length;
                        break;
                    default:
                        if (arg.StartsWith("--", StringComparison.Ordinal))
                            throw new UsageException($"unknown option '{arg}'");
                        lines.Add(arg);
                        break;
                }
            }
            catch (UsageException e)
            {
                return UsageError(e.Message);
            }
        }

        if (socket == null)
            return UsageError("--socket PATH is required");
        if (!load)
            return SendLines(socket, timeout, lines.Count > 0 ? lines : ReadStdin());
        if (lines.Count > 0)
            return UsageError("--load takes no LINE arguments");
        if (requests is null == seconds is null)
            return UsageError("--load needs exactly one of --seconds S and --requests N");

        var report = LoadRun.Run(new LoadOptions
        {
            SocketPath = socket,
            Clients = clients,
            Requests = requests,
            Duration = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            Persistent = persistent,
            PayloadBytes = payloadBytes,
            Timeout = timeout,
            OnProblem = problem => Console.Error.WriteLine($"lonc-testbed client: {problem}"),
        });
        Console.Out.WriteLine(report.Format());
        return report.Failures == 0 && report.Mismatches == 0 ? 0 : 1;
    }

    private static int SendLines(string socket, TimeSpan timeout, IEnumerable<string> lines)
    {
        var missing = 0;
        foreach (var line in lines)
        {
            var reply = LonnetClient.Subreply(socket, line, timeout, out var failure);
            if (reply == null)
            {
                missing++;
                Console.Error.WriteLine($"lonc-testbed client: {line}: {failure}");
            }
            // lonnet's subreply turned every missing answer into con_lost.
            Console.Out.WriteLine(reply ?? "con_lost");
        }
        return missing == 0 ? 0 : 1;
    }

    private static IEnumerable<string> ReadStdin()
    {
        while (Console.In.ReadLine() is { } line)
            yield return line;
    }

    private static int WholeNumber(string option, double value) =>
        value == Math.Floor(value) && value <= int.MaxValue ? (int)value : throw new UsageException($"{option} needs a whole number");

    private static int UsageError(string message)
    {
        Console.Error.WriteLine($"lonc-testbed client: {message}");
        Console.Error.Write(Usage);
        return 64;
    }
}
