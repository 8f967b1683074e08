using System.Globalization;

namespace LegacyLonc.Testbed;

/// <summary><c>lonc-testbed sandbox DIR [--hosts N] [--port P] [--set name=value]...</c>: writes a sandbox tree.</summary>
internal static class SandboxCommand
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: lonc-testbed sandbox DIR [--hosts N] [--first-octet K] [--block B] [--port P] [--set name=value]...");
            return 64;
        }
        var root = Path.GetFullPath(args[0]);
        int hosts = 3, port = 15663, first = 10, block = 0;
        var extra = new Dictionary<string, string>();
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number()
            {
                var option = args[i];
                var text = Next();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new ArgumentException($"{option} takes a whole number, not '{text}'");
            }
            switch (args[i])
            {
                case "--hosts": hosts = Number(); break;
                case "--port": port = Number(); break;
                case "--first-octet": first = Number(); break;
                case "--block": block = Number(); break;
                case "--set":
                    var kv = Next().Split('=', 2);
                    if (kv.Length != 2)
                        throw new ArgumentException("--set takes name=value");
                    extra[kv[0]] = kv[1];
                    break;
                default:
                    Console.Error.WriteLine($"lonc-testbed sandbox: unknown option {args[i]}");
                    return 64;
            }
        }
        var sandbox = new SandboxBuilder
        {
            Root = root,
            LondPort = port,
            Hosts = SandboxBuilder.NumberedHosts(hosts, first, block),
            Extra = extra,
        }.Write();
        Console.WriteLine($"sandbox {root}: {hosts} hosts on port {port}; conf dir {sandbox.ConfDir}");
        foreach (var h in sandbox.Hosts)
            Console.WriteLine($"  {h.Id} {h.Address} socket {sandbox.SocketPath(h.Id)}");
        return 0;
    }
}
