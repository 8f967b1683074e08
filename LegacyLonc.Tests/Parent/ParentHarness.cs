using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LegacyLonc.Parent;
using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>A sandbox with lond emulators and the real lonc parent (foreground, as the current user).</summary>
internal sealed class ParentHarness : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public TestSandbox Sandbox { get; }
    public LoncProcess? Parent { get; private set; }
    public IReadOnlyList<string> Hosts => Sandbox.Builder.Hosts.Select(h => h.Id).ToList();

    public ParentHarness(int hosts, IReadOnlyDictionary<string, string>? extra = null, bool lond = true)
    {
        Sandbox = new TestSandbox(hosts, extra);
        if (lond)
            Sandbox.StartLond();
    }

    /// <summary>A lond emulator for some hosts only (the others have nobody listening: connection refused).</summary>
    public LondEmulator StartLondFor(params string[] hosts)
    {
        var lond = new LondEmulator(new LondEmulatorOptions
        {
            Listen = Sandbox.Builder.Hosts.Where(h => hosts.Contains(h.Id)).Select(h => (h.Address, h.Id)).ToList(),
            Port = Sandbox.Builder.LondPort,
            ClientId = Sandbox.Builder.LocalHostId,
        });
        lond.Start();
        return Sandbox.Own(lond);
    }

    /// <summary>A lond emulator for the given (address, host id) pairs, e.g. a host's new address or a host not yet in hosts.tab.</summary>
    public LondEmulator StartLond(IEnumerable<(IPAddress Address, string Id)> listen, int replyDelayMs = 0)
    {
        var lond = new LondEmulator(new LondEmulatorOptions
        {
            Listen = listen.ToList(),
            Port = Sandbox.Builder.LondPort,
            ClientId = Sandbox.Builder.LocalHostId,
            ReplyDelayMs = replyDelayMs,
        });
        lond.Start();
        return Sandbox.Own(lond);
    }

    /// <summary>The sandbox address of <paramref name="host"/>.</summary>
    public IPAddress AddressOf(string host) => Sandbox.Builder.Hosts.Single(h => h.Id == host).Address;

    /// <summary>An unused loopback address in this sandbox's own 127.0.x block (<paramref name="n"/> ≥ 1).</summary>
    public IPAddress SpareAddress(int n)
    {
        var b = Sandbox.Builder.Hosts[0].Address.GetAddressBytes();
        return new IPAddress(new byte[] { 127, 0, b[2], (byte)(200 + n) });
    }

    /// <summary>Rewrites hosts.tab with these hosts, in the sandbox's line shape, plus any raw extra lines.</summary>
    public void WriteHostsTab(IEnumerable<(string Id, IPAddress Address)> hosts, params string[] rawLines)
    {
        var tab = new StringBuilder();
        foreach (var (id, address) in hosts)
            tab.Append($"{id}:sandbox:library:{id}.sandbox.invalid:{address}\n");
        foreach (var line in rawLines)
            tab.Append(line).Append('\n');
        var path = HostsTab;
        File.WriteAllText(path + ".new", tab.ToString());
        File.Move(path + ".new", path, overwrite: true);
    }

    public string HostsTab => Path.Combine(Sandbox.Builder.TabDir, "hosts.tab");

    public int Pid => Parent!.Pid;

    public LoncProcess Start(params string[] moreArgs)
    {
        Parent = Sandbox.StartParent(moreArgs);
        return Parent;
    }

    /// <summary>Starts the parent through a launcher that execs it (see <see cref="TestSandbox.StartParentVia"/>).</summary>
    public LoncProcess StartVia(params string[] launcher)
    {
        Parent = Sandbox.StartParentVia(launcher);
        return Parent;
    }

    /// <summary>Starts the parent and waits until every host answers ping through its socket.</summary>
    public LoncProcess StartServing(IEnumerable<string>? onlyHosts = null)
    {
        Start();
        WaitServing(onlyHosts ?? Hosts);
        return Parent!;
    }

    /// <summary>
    /// Two hosts, a lond for h1 only (h2's connections are refused), the daemon started and h1 serving: h2's child
    /// fails at once and is restarted up to <paramref name="maxAttempts"/> times, each after a fail sleep of at most
    /// <paramref name="failSleepSpread"/> s.
    /// </summary>
    public static ParentHarness ServingH1WithH2Down(int maxAttempts, int failSleepSpread)
    {
        var h = new ParentHarness(2, new Dictionary<string, string>
        {
            ["loncChildMaxAttempts"] = maxAttempts.ToString(),
            ["loncFailSleepMin"] = "0",
            ["loncFailSleepSpread"] = failSleepSpread.ToString(),
        }, lond: false);
        try
        {
            h.StartLondFor("h1");
            h.StartServing(onlyHosts: new[] { "h1" });
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    public bool Serves(string host) => UnixClient.Request(Sandbox.SocketPath(host), "ping", 2000) == host;

    public void WaitServing(IEnumerable<string> hosts)
    {
        foreach (var h in hosts)
            Eventually.Assert(() => Serves(h), Patience, $"{h} answers ping through its socket", Detail);
    }

    /// <summary>The pid of the child listening on <paramref name="host"/>'s socket.</summary>
    public int? ChildFor(string host) => ProcessTree.ListenerPid(Sandbox.SocketPath(host));

    public IReadOnlyList<int> Children() => ProcessTree.ChildrenOf(Pid);

    public void Signal(Signum signal) => Assert.Equal(0, Syscall.kill(Pid, signal));

    public string Log => Sandbox.ReadLog();

    public int Count(string text) => Regex.Matches(Log, Regex.Escape(text)).Count;

    public void WaitLog(string text, int times = 1) =>
        Eventually.Assert(() => Count(text) >= times, Patience, $"{times}× '{text}' in lonc.log", Detail);

    /// <summary>
    /// The lines of loncstatus.txt, read under a shared flock that waits for a child appending its line
    /// (.NET's own reader takes a non-blocking lock and fails instead); empty while the file is missing.
    /// </summary>
    public static string[] ReadLines(string path) => StatusReport.Read(path).ToArray();

    /// <summary>The status report's line for <paramref name="host"/>, or null.</summary>
    public string? StatusLineOf(string host) =>
        ReadLines(Sandbox.Builder.StatusFile).Skip(1).LastOrDefault(l => l.Split('\t') is { Length: >= 3 } f && f[1] == host);

    /// <summary>Sends USR1 and waits until the rewritten report has a line for each of <paramref name="hosts"/>.</summary>
    public string[] Report(IReadOnlyCollection<string> hosts)
    {
        var file = Sandbox.Builder.StatusFile;
        File.Delete(file);
        Signal(Signum.SIGUSR1);
        Eventually.Assert(() => hosts.All(h => StatusLineOf(h) is not null), Patience, $"a status line for each of {string.Join(", ", hosts)}",
            () => string.Join("\n", ReadLines(file)) + "\n" + Detail());
        return ReadLines(file);
    }

    public string Detail() =>
        $"--- lonc.log ---\n{Log}\n--- parent stderr ---\n{Parent?.StdErr}\n--- parent children ---\n" +
        (Parent is null ? "" : string.Join(" ", ProcessTree.ChildrenOf(Parent.Pid)));

    public void Dispose() => Sandbox.Dispose();
}
