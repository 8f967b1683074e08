using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Child;

/// <summary>A sandbox with one emulated lond and one real <c>lonc --child</c> process for host h1.</summary>
internal sealed class ChildHarness : IDisposable
{
    public TestSandbox Sandbox { get; }
    public LondEmulator Lond { get; }
    public LoncProcess? Child { get; private set; }
    public string Host => "h1";
    public string Socket => Sandbox.SocketPath(Host);

    public ChildHarness(LondBehaviour behaviour = LondBehaviour.Normal, IReadOnlyDictionary<string, string>? extra = null,
        int hosts = 1, int replyDelayMs = 0, int garbageBytes = 4096)
    {
        Sandbox = new TestSandbox(hosts, extra);
        var builder = Sandbox.Builder;
        Lond = Sandbox.Own(new LondEmulator(new LondEmulatorOptions
        {
            Listen = builder.Hosts.Select(h => (h.Address, h.Id)).ToList(),
            Port = builder.LondPort,
            ClientId = builder.LocalHostId,
            ReplyDelayMs = replyDelayMs,
            GarbageBytes = garbageBytes,
        }) { Behaviour = behaviour });
        Lond.Start();
    }

    /// <summary>Starts the child and waits until its socket answers <c>ping</c>.</summary>
    public LoncProcess StartReady()
    {
        Child = Sandbox.StartChild(Host);
        WaitReady();
        return Child;
    }

    public LoncProcess Start()
    {
        Child = Sandbox.StartChild(Host);
        return Child;
    }

    /// <summary>Starts a child that is to give up (a failed handshake, say), waits for its exit with <paramref name="exitCode"/>, and returns lonc.log.</summary>
    public string StartUntilExit(int exitCode = 1)
    {
        var child = Start();
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(15)), Detail());
        Assert.Equal(exitCode, child.ExitCode);
        return Sandbox.ReadLog();
    }

    /// <summary>Starts the child through <c>sh -c '&lt;shell prefix&gt;; exec lonc --child …'</c> (a ulimit, say) and waits until it answers.</summary>
    public LoncProcess StartReadyUnder(string shellPrefix)
    {
        var command = $"{shellPrefix}; exec \"$0\" --child {Host} --conf-dir \"$1\" --user \"$2\"";
        Child = Sandbox.Own(LoncProcess.Start("/bin/sh", "-c", command, TestBinaries.Lonc, Sandbox.ConfDir, Environment.UserName));
        WaitReady();
        return Child;
    }

    private void WaitReady() =>
        Eventually.Assert(() => File.Exists(Socket) && UnixClient.Request(Socket, "ping", 2000) == Host,
            TimeSpan.FromSeconds(20), "child h1 online and answering ping", Detail);

    /// <summary>The child's resident set (VmRSS of /proc/&lt;pid&gt;/status) in KiB.</summary>
    public long ResidentKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Child!.Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        }
        throw new InvalidOperationException("no VmRSS line");
    }

    public string Detail() =>
        $"--- lonc.log ---\n{Sandbox.ReadLog()}\n--- stderr ---\n{Child?.StdErr}\n--- lond dialogue ---\n{string.Join("\n", Lond.Dialogue)}";

    public void Dispose() => Sandbox.Dispose();
}
