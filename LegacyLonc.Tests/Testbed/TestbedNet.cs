using System.Net;
using System.Net.Sockets;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Testbed;

/// <summary>Addresses and ports for testbed tests: 127.1.x.y (away from TestSandbox's 127.0.x.y) and a free port.</summary>
internal static class TestbedNet
{
    private static int _next = Random.Shared.Next(0, 200);

    /// <summary><paramref name="count"/> fresh loopback addresses on a /24 of their own.</summary>
    public static IPAddress[] Addresses(int count)
    {
        var block = Interlocked.Increment(ref _next) % 250 + 1;
        return Enumerable.Range(0, count).Select(i => IPAddress.Parse($"127.1.{block}.{i + 10}")).ToArray();
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>A started emulator answering as h1..hN for client <c>cl1</c>.</summary>
    public static LondEmulator StartLond(int hosts = 1, LondBehaviour behaviour = LondBehaviour.Normal,
        int dropAfter = 1, int replyDelayMs = 0, int garbageBytes = 4096, string? buildKey = null)
    {
        var addresses = Addresses(hosts);
        var lond = new LondEmulator(new LondEmulatorOptions
        {
            Listen = addresses.Select((a, i) => (a, $"h{i + 1}")).ToList(),
            Port = FreePort(),
            ClientId = "cl1",
            DropAfter = dropAfter,
            ReplyDelayMs = replyDelayMs,
            GarbageBytes = garbageBytes,
            BuildKey = buildKey,
        }) { Behaviour = behaviour };
        lond.Start();
        return lond;
    }

    public static RawLondClient Connect(LondEmulator lond, int host = 0, int timeoutMs = 5000) =>
        RawLondClient.Connect(Address(lond, host), Port(lond), timeoutMs);

    public static IPAddress Address(LondEmulator lond, int host = 0) => lond.ListenOn[host].Address;

    public static int Port(LondEmulator lond) => lond.Port;
}
