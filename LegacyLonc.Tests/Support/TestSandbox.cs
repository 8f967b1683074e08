using System.Net;
using System.Net.Sockets;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Support;

/// <summary>
/// A sandbox tree under /tmp with its own lond port, loopback hosts, and lond emulators; everything it
/// started is stopped and the tree removed on dispose.
/// </summary>
public sealed class TestSandbox : IDisposable
{
    private static int _nextBlock = Random.Shared.Next(0, 120);
    private readonly List<IDisposable> _owned = new();

    public SandboxBuilder Builder { get; }
    public LondEmulator? Lond { get; private set; }

    /// <summary>Creates the tree with <paramref name="hostCount"/> hosts h1..hN on a 127.0.x block of their own.</summary>
    public TestSandbox(int hostCount, IReadOnlyDictionary<string, string>? extra = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "ll-" + Guid.NewGuid().ToString("N")[..10]);
        // Each sandbox gets a distinct 127.0.<block>.x range and a free port, so test classes can run in parallel.
        var block = Interlocked.Increment(ref _nextBlock) % 200 + 20;
        var settings = new Dictionary<string, string>
        {
            ["loncPongDelay"] = "0",
            ["loncFailSleepMin"] = "1",
            ["loncFailSleepSpread"] = "1",
            ["loncInitTimeout"] = "5",
            ["loncRequestTimeout"] = "5",
        };
        if (extra != null)
            foreach (var (k, v) in extra)
                settings[k] = v;
        Builder = new SandboxBuilder
        {
            Root = root,
            LondPort = FreePort(),
            Hosts = SandboxBuilder.NumberedHosts(hostCount, first: 10, block: block),
            Extra = settings,
        }.Write();
    }

    public string ConfDir => Builder.ConfDir;
    public string SocketPath(string host) => Builder.SocketPath(host);
    public string ReadLog() => File.Exists(Builder.LoncLog) ? File.ReadAllText(Builder.LoncLog) : "";
    public string ReadPermLog() => File.Exists(Builder.PermLog) ? File.ReadAllText(Builder.PermLog) : "";

    /// <summary>Starts one emulator answering for every sandbox host (each on its own address).</summary>
    public LondEmulator StartLond(LondBehaviour behaviour = LondBehaviour.Normal, int replyDelayMs = 0)
    {
        var lond = new LondEmulator(new LondEmulatorOptions
        {
            Listen = Builder.Hosts.Select(h => (h.Address, h.Id)).ToList(),
            Port = Builder.LondPort,
            ClientId = Builder.LocalHostId,
            ReplyDelayMs = replyDelayMs,
        }) { Behaviour = behaviour };
        lond.Start();
        _owned.Add(lond);
        Lond = lond;
        return lond;
    }

    /// <summary>Starts <c>lonc --child host</c> on this sandbox (as the current user).</summary>
    public LoncProcess StartChild(string host)
    {
        var p = LoncProcess.Start(TestBinaries.Lonc, "--child", host, "--conf-dir", ConfDir, "--user", Environment.UserName);
        _owned.Add(p);
        return p;
    }

    /// <summary>Starts the lonc parent in the foreground on this sandbox (as the current user).</summary>
    public LoncProcess StartParent(params string[] moreArgs)
    {
        var args = new List<string> { "--conf-dir", ConfDir, "--user", Environment.UserName, "--foreground" };
        args.AddRange(moreArgs);
        var p = LoncProcess.Start(TestBinaries.Lonc, args.ToArray());
        _owned.Add(p);
        return p;
    }

    /// <summary>
    /// Starts the lonc parent in the foreground through <paramref name="launcher"/>, which must exec lonc
    /// (so the pid stays lonc's): <c>nohup</c>, or <c>/bin/sh -c '… exec "$0" "$@"'</c> to set a umask or ignore signals.
    /// </summary>
    public LoncProcess StartParentVia(IReadOnlyList<string> launcher, params string[] moreArgs)
    {
        var args = new List<string>(launcher.Skip(1)) { TestBinaries.Lonc, "--conf-dir", ConfDir, "--user", Environment.UserName, "--foreground" };
        args.AddRange(moreArgs);
        var p = LoncProcess.Start(launcher[0], args.ToArray());
        _owned.Add(p);
        return p;
    }

    /// <summary>Registers something to dispose with the sandbox.</summary>
    public T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try { _owned[i].Dispose(); } catch (Exception) { }
        }
        try { Directory.Delete(Builder.Root, recursive: true); } catch (Exception) { }
    }
}
