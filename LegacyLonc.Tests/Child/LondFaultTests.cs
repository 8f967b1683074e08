using System.Net.Sockets;
using System.Text;
using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>A misbehaving lond against the real child: no reply reaches the wrong client, deadlines hold, memory comes back.</summary>
public class LondFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_double_reply_never_reaches_the_next_client()
    {
        using var h = new ChildHarness();
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.DoubleReply;
        Assert.Equal("d1", UnixClient.Request(h.Socket, "echo:d1"));
        h.Lond.Behaviour = LondBehaviour.Normal;
        // 1.53 (and we, before) answered these "extra-d1 s1 s2 s3 s4": every reply one client late.
        for (var i = 1; i <= 5; i++)
            Assert.Equal($"s{i}", UnixClient.Request(h.Socket, $"echo:s{i}"));
        var log = h.Sandbox.ReadLog();
        Assert.Contains("CRITICAL: Protocol error: lond h1 sent", log);
        Assert.Contains(">extra-d1\\x0a<", log);
    }

    [Fact]
    public void A_line_lond_sends_while_the_link_is_idle_resets_the_link_before_the_next_request()
    {
        using var h = new ChildHarness(replyDelayMs: 100);
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.StrayLine;
        Assert.Equal("a", UnixClient.Request(h.Socket, "echo:a"));
        // The stray line arrives while no request waits; the child notices it on the idle link and re-opens.
        Eventually.Assert(() => h.Lond.Handshakes >= 2, Wait, "a new link after the stray line", h.Detail);
        h.Lond.Behaviour = LondBehaviour.Normal;
        Assert.Equal("b", UnixClient.Request(h.Socket, "echo:b"));
        var log = h.Sandbox.ReadLog();
        Assert.Contains("while the link was ready: >stray-a\\x0a<", log);
        // That line says it all: no second line for the link's close.
        Assert.DoesNotContain("lond link h1:", log);
    }

    [Fact]
    public void A_reply_that_comes_after_the_timeout_never_reaches_anyone()
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncRequestTimeout"] = "1" }, replyDelayMs: 1500);
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.Slow;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:late", 15000));
        h.Lond.Behaviour = LondBehaviour.Normal;
        // lond's session on the old link ends only after it sent "late" (into the link closed at the timeout):
        // from then on, every request could have been answered with it.
        Eventually.Assert(() => h.Lond.OpenConnections == 1 && h.Lond.Handshakes >= 2, Wait, "the late reply sent, a new link open", h.Detail);
        for (var i = 0; i < 3; i++)
            Assert.Equal($"on-time{i}", UnixClient.Request(h.Socket, $"echo:on-time{i}"));
    }

    [Fact]
    public void A_trickling_lond_cannot_stretch_the_request_deadline()
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncRequestTimeout"] = "1" }, replyDelayMs: 100);
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.Trickle;
        // 41 bytes at one per 100 ms: complete after ~4 s, far past the 1 s deadline.
        var text = new string('t', 40);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:" + text, 15000));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3.5), $"con_lost only after {sw.Elapsed}");
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:after") == "after", Wait, "service after the timeout", h.Detail);
        var log = h.Sandbox.ReadLog();
        Assert.Contains($"CRITICAL: Timeout: echo:{text} (h1, link busy)", log);
        Assert.Contains("lond link h1: busy -> closed: no reply within 1 s", log);
    }

    [Fact]
    public async Task Term_is_noticed_while_lond_trickles_a_reply()
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncRequestTimeout"] = "120" }, replyDelayMs: 100);
        var child = h.StartReady();
        h.Lond.Behaviour = LondBehaviour.Trickle;
        var before = h.Lond.RequestCount;
        // 301 bytes at one per 100 ms: a transaction of 30 s that never pauses for a whole receive slice.
        var pending = Task.Run(() => UnixClient.Request(h.Socket, "echo:" + new string('t', 300), 60000));
        Assert.True(h.Lond.WaitForRequests(before + 1, Wait), h.Detail());
        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGTERM));
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)), "the child did not stop within 10 s of TERM\n" + h.Detail());
        Assert.Equal(0, child.ExitCode);
        Assert.NotEqual(new string('t', 300), await pending.WaitAsync(Wait));
    }

    [Fact]
    public void Memory_comes_back_after_reply_floods()
    {
        // Each flood is 17 MiB without a newline: past the 16 MiB reply limit, so each request is answered con_lost.
        using var h = new ChildHarness(garbageBytes: 17 << 20);
        h.StartReady();
        for (var i = 0; i < 50; i++)
            Assert.Equal($"w{i}", UnixClient.Request(h.Socket, $"echo:w{i}"));
        var idle = h.ResidentKiB();
        h.Lond.Behaviour = LondBehaviour.GarbageNoNewline;
        for (var i = 0; i < 10; i++)
            Assert.Equal("con_lost", UnixClient.Request(h.Socket, $"echo:flood{i}", 30000));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:calm") == "calm", Wait, "service after the floods", h.Detail);
        var after = h.ResidentKiB();
        Assert.True(after <= 2 * idle, $"RSS {after} KiB after ten floods, idle {idle} KiB");
    }

    [Fact]
    public void A_link_lond_closes_while_idle_is_reopened_before_the_next_request()
    {
        using var h = new ChildHarness(LondBehaviour.CloseIdle, replyDelayMs: 500);
        h.StartReady();
        // lond drops the idle link (as a restarted lond would); the child must notice without a request.
        Eventually.Assert(() => h.Lond.Handshakes >= 2, Wait, "a new link after lond closed the idle one", h.Detail);
        h.Lond.Behaviour = LondBehaviour.Normal;
        Assert.Equal("answered", UnixClient.Request(h.Socket, "echo:answered"));
        var log = h.Sandbox.ReadLog();
        Assert.Contains("WARNING: lond h1 closed the connection while the link was ready; re-opening it", log);
        Assert.DoesNotContain("lond link h1:", log);
    }

    [Fact]
    public void The_first_request_after_an_idle_lond_restart_is_answered()
    {
        using var h = new ChildHarness();
        var child = h.StartReady();
        // lond goes down with the link idle, and is not listening when the child notices and tries to reconnect.
        h.Lond.Stop();
        Eventually.Assert(() => h.Sandbox.ReadLog().Contains("WARNING: lond h1 is not back yet"), Wait, "the failed reconnect", h.Detail);
        h.Lond.Start();
        Assert.Equal("back", UnixClient.Request(h.Socket, "echo:back"));
        Assert.False(child.HasExited);
    }
}
