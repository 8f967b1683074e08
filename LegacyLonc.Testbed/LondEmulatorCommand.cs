using System.Net;
using LegacyLonc.Posix;

namespace LegacyLonc.Testbed;

/// <summary><c>lonc-testbed lond</c>: runs a <see cref="LondEmulator"/> in the foreground until SIGTERM/SIGINT.</summary>
internal static class LondEmulatorCommand
{
    private const string Usage = """
        usage: lonc-testbed lond [--sandbox DIR] [--listen IP=HOSTID]... [--port N] [--client-id ID]
                                 [--behaviour NAME] [--delay-ms N] [--drop-after N] [--garbage-bytes N]
                                 [--fault-marker TEXT] [--buildkey KEY] [--no-handshake] [--verbose]
          --sandbox DIR      take londPort, lonHostID and every loopback host of hosts.tab from a LON-CAPA tree
                             (DIR/conf/loncapa_apache.conf, DIR/conf/loncapa.conf, <lonTabDir>/hosts.tab)
          --listen IP=ID     answer as host ID on IP (127.0.0.0/8 only); repeatable, adds to --sandbox hosts
          --port N           lond port (default: londPort of --sandbox, else 5663)
          --client-id ID     lonHostID of the connecting lonc, used in the key (default: from --sandbox)
          --behaviour NAME   normal|refuse|hang|stall|bad-challenge|drop-after-n|slow|garbage-enc|garbage-no-newline|
                             enc-replies|hang-init|double-reply|stray-line|trickle|control-init|close-idle|
                             drop-at-marker|hang-at-marker|markup-init|enc-newline|long-exit-reply
                             (default normal)
          --delay-ms N       slow, drop-at-marker, hang-at-marker: reply delay; stray-line: delay of the unasked
                             line; trickle: ms between bytes; close-idle: idle time before lond closes the link
                             (default 0)
          --drop-after N     requests answered per connection for drop-after-n (default 1)
          --garbage-bytes N  size of the garbage-no-newline answer: a reply flood when past 16 MiB; bytes
                             after the markup of long-exit-reply's answer to exit (default 4096)
          --fault-marker T   drop-at-marker / hang-at-marker: the text that makes lond drop / stop answering
                             (default fault!)
          --buildkey KEY     fixed answer to ekey instead of lond's random one
          --no-handshake     no init dialogue: every line is a request from the first (not lond's protocol; an
                             upstream with the same replies for a plain line relay, e.g. the benchmark's C relay)
          --verbose          print every connection and received line
        Prints "lond emulator listening on ..." once ready; stops on SIGTERM or SIGINT.
        """;

    public static int Run(string[] args)
    {
        // A background job inherits SIGINT ignored; undo that before any output so ^C and kill -INT work.
        SignalDefaults.Restore();

        string? sandbox = null, clientId = null, buildKey = null, faultMarker = null;
        int? port = null;
        var listen = new List<(IPAddress, string)>();
        var behaviour = LondBehaviour.Normal;
        int delayMs = 0, dropAfter = 1, garbageBytes = 4096;
        var verbose = false;
        var handshake = true;

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                    throw new UsageException($"{arg} needs a value");
                return args[++i];
            }
            int Number(int min)
            {
                var text = Value();
                return int.TryParse(text, out var n) && n >= min ? n : throw new UsageException($"{arg}: '{text}' is not a number >= {min}");
            }
            try
            {
                switch (arg)
                {
                    case "--help" or "-h":
                        Console.Out.Write(Usage);
                        return 0;
                    case "--sandbox": sandbox = Value(); break;
                    case "--listen": listen.Add(ParseListen(Value())); break;
                    case "--port": port = Number(1); break;
                    case "--client-id": clientId = Value(); break;
                    case "--behaviour" or "--behavior": behaviour = LondBehaviourName.TryParse(Value(), out var b) ? b : throw new UsageException($"unknown behaviour '{args[i]}'"); break;
                    case "--delay-ms": delayMs = Number(0); break;
                    case "--drop-after": dropAfter = Number(0); break;
                    case "--garbage-bytes": garbageBytes = Number(0); break;
                    case "--buildkey": buildKey = Value(); break;
                    case "--fault-marker": faultMarker = Value(); break;
                    case "--no-handshake": handshake = false; break;
                    case "--verbose" or "-v": verbose = true; break;
                    default: throw new UsageException($"unknown option '{arg}'");
                }
            }
            catch (UsageException e)
            {
                return Fail(e.Message, showUsage: true);
            }
        }

        if (sandbox != null)
        {
            LondSandboxConfig config;
            try
            {
                config = LondSandboxConfig.Load(sandbox);
            }
            catch (IOException e)
            {
                return Fail(e.Message);
            }
            foreach (var w in config.Warnings)
                Console.Error.WriteLine($"lonc-testbed lond: warning: {w}");
            port ??= config.Port;
            clientId ??= config.ClientId;
            listen.InsertRange(0, config.Hosts.Where(h => !listen.Any(l => l.Item1.Equals(h.Address))));
        }
        if (listen.Count == 0)
            return Fail("nothing to listen on (give --listen IP=HOSTID or --sandbox DIR)", showUsage: true);
        if (string.IsNullOrEmpty(clientId) && !handshake)
            clientId = "none";
        if (string.IsNullOrEmpty(clientId))
            return Fail("no client id (give --client-id ID, or a --sandbox with lonHostID)", showUsage: true);

        LondEmulator lond;
        try
        {
            lond = new LondEmulator(new LondEmulatorOptions
            {
                Listen = listen,
                Port = port ?? 5663,
                ClientId = clientId,
                DropAfter = dropAfter,
                ReplyDelayMs = delayMs,
                GarbageBytes = garbageBytes,
                BuildKey = buildKey,
                FaultMarker = faultMarker ?? "fault!",
                Handshake = handshake,
                Record = false,
                Trace = verbose ? Console.Out.WriteLine : null,
            }) { Behaviour = behaviour };
            lond.Start();
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            return Fail(e.Message);
        }

        using var stop = new ManualResetEventSlim();
        using var stopSignals = new StopSignals(stop.Set);

        var where = string.Join(", ", listen.Select(l => $"{l.Item1}:{port ?? 5663}={l.Item2}"));
        Console.Out.WriteLine($"lond emulator listening on {where} (client {clientId}, behaviour {behaviour}{(handshake ? "" : ", no handshake")})");
        Console.Out.Flush();

        stop.Wait();
        lond.Stop();
        Console.Out.WriteLine($"lond emulator stopped: {lond.Connections} connections, {lond.Handshakes} handshakes, {lond.RequestCount} requests");
        Console.Out.Flush();
        return 0;
    }

    private static (IPAddress, string) ParseListen(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1 || !IPAddress.TryParse(text[..eq], out var ip))
            throw new UsageException($"--listen '{text}' is not IP=HOSTID");
        if (!LondEmulator.IsLoopback(ip))
            throw new UsageException($"--listen {ip}: only 127.0.0.0/8 addresses are allowed");
        return (ip, text[(eq + 1)..]);
    }

    private static int Fail(string message, bool showUsage = false)
    {
        Console.Error.WriteLine($"lonc-testbed lond: {message}");
        if (!showUsage)
            return 1;
        Console.Error.Write(Usage);
        return 64;
    }
}
