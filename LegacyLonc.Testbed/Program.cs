namespace LegacyLonc.Testbed;

/// <summary>
/// lonc-testbed: the tools the tests, the README demo and the benchmark share —
/// a loopback lond emulator, a lonnet-style client, a log stress writer and the soak.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            Console.Error.WriteLine("usage: lonc-testbed lond|client|log-writer|sandbox|soak ... (see each --help)");
            return args.Length == 0 ? 64 : 0;
        }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "lond" => LondEmulatorCommand.Run(rest),
                "client" => LonnetClientCommand.Run(rest),
                "log-writer" => LogWriterCommand.Run(rest),
                "sandbox" => SandboxCommand.Run(rest),
                "soak" => SoakCommand.Run(rest),
                _ => Unknown(args[0]),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            // A bad option value (a number that is not one, an option without its value) is a usage error, not a crash.
            Console.Error.WriteLine($"lonc-testbed {args[0]}: {e.Message}");
            return 64;
        }
    }

    private static int Unknown(string verb)
    {
        Console.Error.WriteLine($"lonc-testbed: unknown command '{verb}'");
        return 64;
    }
}
