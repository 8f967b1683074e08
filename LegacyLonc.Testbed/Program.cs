namespace LegacyLonc.Testbed;

/// <summary>
/// lonc-testbed: the tools the tests, the README demo and the benchmark share —
/// a loopback lond emulator, a lonnet-style client, and a log stress writer.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: lonc-testbed lond|client|log-writer|sandbox ... (see each --help)");
            return 64;
        }
        var rest = args[1..];
        return args[0] switch
        {
            "lond" => LondEmulatorCommand.Run(rest),
            "client" => LonnetClientCommand.Run(rest),
            "log-writer" => LogWriterCommand.Run(rest),
            "sandbox" => SandboxCommand.Run(rest),
            _ => Unknown(args[0]),
        };
    }

    private static int Unknown(string verb)
    {
        Console.Error.WriteLine($"lonc-testbed: unknown command '{verb}'");
        return 64;
    }
}
