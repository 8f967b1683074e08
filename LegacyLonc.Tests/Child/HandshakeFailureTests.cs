using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>The real child when the init dialogue fails: each cause logged as what it was, and a stop signal not logged as lond's failure.</summary>
public class HandshakeFailureTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_lond_that_never_answers_init_is_logged_with_1_53s_timeout_line()
    {
        using var h = new ChildHarness(LondBehaviour.HangInit, new Dictionary<string, string> { ["loncInitTimeout"] = "1" });
        var log = h.StartUntilExit();
        Assert.Contains("INFO Connected to h1, initing", log);
        Assert.Contains("]: Timed out during init.. exiting", log);
        Assert.DoesNotContain("closed the connection", log);
    }

    [Fact]
    public void A_lond_that_closes_at_once_is_logged_as_closing_not_as_a_timeout()
    {
        using var h = new ChildHarness(LondBehaviour.Refuse);
        var log = h.StartUntilExit();
        Assert.Contains("<font color=blue>WARNING: Init dialogue with h1 failed at init (link handshaking): lond closed the connection .. exiting</font>", log);
        Assert.DoesNotContain("did not answer", log);
        Assert.DoesNotContain("Timed out during init", log);
    }

    [Fact]
    public void Term_during_the_init_dialogue_stops_the_child_without_blaming_lond()
    {
        using var h = new ChildHarness(LondBehaviour.HangInit, new Dictionary<string, string> { ["loncInitTimeout"] = "60" });
        var child = h.Start();
        Eventually.Assert(() => h.Sandbox.ReadLog().Contains("INFO Connected to h1, initing"), Wait, "the init dialogue under way", h.Detail);
        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGTERM));
        Assert.True(child.WaitForExit(Wait), h.Detail());
        Assert.Equal(0, child.ExitCode);
        var log = h.Sandbox.ReadLog();
        Assert.Contains("lond link h1: handshaking -> closed: interrupted by a stop signal", log);
        Assert.DoesNotContain("Init dialogue with h1 failed", log);
        Assert.DoesNotContain("Timed out during init", log);
    }
}
