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
        int hosts = 1, int replyDelayMs = 0)
    {
        Sandbox = new TestSandbox(hosts, extra);
        Lond = Sandbox.StartLond(behaviour, replyDelayMs);
    }

    /// <summary>Starts the child and waits until its socket answers <c>ping</c>.</summary>
    public LoncProcess StartReady()
    {
        Child = Sandbox.StartChild(Host);
        Eventually.Assert(() => File.Exists(Socket) && UnixClient.Request(Socket, "ping", 2000) == Host,
            TimeSpan.FromSeconds(20), "child h1 online and answering ping", Detail);
        return Child;
    }

    public LoncProcess Start()
    {
        Child = Sandbox.StartChild(Host);
        return Child;
    }

    public string Detail() =>
        $"--- lonc.log ---\n{Sandbox.ReadLog()}\n--- stderr ---\n{Child?.StdErr}\n--- lond dialogue ---\n{string.Join("\n", Lond.Dialogue)}";

    public void Dispose() => Sandbox.Dispose();
}
