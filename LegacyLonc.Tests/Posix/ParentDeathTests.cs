using LegacyLonc.Posix;
using LegacyLonc.Tests.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Posix;

/// <summary>No orphans: children follow a parent that died without hanging them up.</summary>
public class ParentDeathTests
{
    /// <summary>How soon every child must be gone after its parent's death (they need well under a second).</summary>
    private static readonly TimeSpan FewSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void After_kill_9_of_the_parent_every_child_exits_and_removes_its_socket()
    {
        using var h = new ParentHarness(3);
        h.StartServing();
        var children = h.Children();
        Assert.Equal(3, children.Count);
        // The death signal follows the thread that spawned a child: all of them must hang off the main thread.
        var ofMainThread = File.ReadAllText($"/proc/{h.Pid}/task/{h.Pid}/children")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
        Assert.Equal(children.Order(), ofMainThread.Order());

        h.Signal(Signum.SIGKILL);

        Eventually.Assert(() => children.All(c => !ProcessTree.IsRunning(c)), FewSeconds, "every child gone", h.Detail);
        Assert.All(h.Hosts, host => Assert.False(File.Exists(h.Sandbox.SocketPath(host)), $"socket of {host} left behind"));
        foreach (var host in h.Hosts)
            Assert.Contains($"Child for {host} stopping on signal", h.Log);
    }

    [Fact]
    public void A_child_whose_parent_is_gone_before_it_starts_exits_at_once()
    {
        using var sandbox = new TestSandbox(1);
        sandbox.StartLond();
        var dead = ProcessSpawn.Start(new[] { "/bin/true" }, newSession: false);
        Syscall.waitpid(dead, out _, 0);

        var (exit, _, err) = ExternalProgram.Run(TestBinaries.Lonc,
            new[] { "--child", "h1", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName },
            new Dictionary<string, string> { [ParentDeath.Variable] = dead.ToString() }, timeoutSeconds: 30);

        Assert.Equal(0, exit);
        Assert.Contains($"lonc child h1: the lonc parent (pid {dead}) is gone; not starting", err);
        Assert.False(File.Exists(sandbox.SocketPath("h1")));
    }
}
