using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// A child the parent restarts runs on the configuration the parent holds (read at start, or last applied by USR2 or
/// HUP), never on files edited since: an edit takes effect only through USR2 or HUP, as with 1.53's forked children.
/// </summary>
public sealed class ChildConfigurationTests
{
    /// <summary>SIGKILLs <paramref name="host"/>'s child and waits until a new one serves the host.</summary>
    private static int KillAndAwaitNewChild(ParentHarness h, string host)
    {
        var victim = h.ChildFor(host)!.Value;
        Assert.Equal(0, Syscall.kill(victim, Signum.SIGKILL));
        int? replacement = null;
        Eventually.Assert(() => (replacement = h.ChildFor(host)) is { } c && c != victim && h.Serves(host), ParentHarness.Patience,
            $"{host} served by a new child", h.Detail);
        return replacement!.Value;
    }

    [Fact]
    public void A_typo_USR2_refused_does_not_reach_a_restarted_child()
    {
        using var h = new ParentHarness(1);
        h.StartServing();
        File.AppendAllText(Path.Combine(h.Sandbox.ConfDir, "loncapa.conf"), "PerlSetVar loncFailSleepMin abc\n");
        h.Signal(Signum.SIGUSR2);
        h.WaitLog("WARNING: USR2: the configuration has errors; hosts and settings stay as they are");

        KillAndAwaitNewChild(h, "h1");

        Assert.Equal(0, h.Count("exit status 2"));
        Assert.Equal(0, h.Count("Skipped h1"));
    }

    [Fact]
    public void An_address_edited_without_USR2_does_not_reach_a_restarted_child()
    {
        using var h = new ParentHarness(1, lond: false);
        var oldLond = h.StartLond(new[] { (h.AddressOf("h1"), "h1") });
        var newLond = h.StartLond(new[] { (h.SpareAddress(1), "h1") });
        h.StartServing();
        h.WriteHostsTab(new[] { ("h1", h.SpareAddress(1)) });

        KillAndAwaitNewChild(h, "h1");

        Assert.True(oldLond.ConnectionsTo("h1") >= 2, h.Detail());
        Assert.Equal(0, newLond.ConnectionsTo("h1"));
    }

    [Fact]
    public void A_line_deleted_without_USR2_does_not_take_a_restarted_child_down()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        h.WriteHostsTab(new[] { ("h1", h.AddressOf("h1")) });

        KillAndAwaitNewChild(h, "h2");

        Assert.Equal(0, h.Count("is not a valid host"));
        Assert.Equal(0, h.Count("exit status 2"));
    }
}
