using System.Text.RegularExpressions;
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
    /// The lines of a file children write under flock; empty while it is missing or locked (.NET's reader
    /// takes a non-blocking shared flock and fails while a child appends).
    /// </summary>
    public static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return Array.Empty<string>();
        }
    }

    public string Detail() =>
        $"--- lonc.log ---\n{Log}\n--- parent stderr ---\n{Parent?.StdErr}\n--- parent children ---\n" +
        (Parent is null ? "" : string.Join(" ", ProcessTree.ChildrenOf(Parent.Pid)));

    public void Dispose() => Sandbox.Dispose();
}
