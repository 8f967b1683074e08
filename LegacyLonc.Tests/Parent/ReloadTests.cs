using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>USR2: hosts.tab changes applied host by host, every other child left exactly as it was.</summary>
public class ReloadTests
{
    [Fact]
    public async Task USR2_starts_added_hosts_stops_removed_ones_moves_changed_ones_and_leaves_the_rest_alone()
    {
        using var h = new ParentHarness(3, lond: false);
        // h1 untouched (its lond answers slowly once asked to), h2 removed, h3 moved to a new address, h4 new.
        var lond1 = h.StartLond(new[] { (h.AddressOf("h1"), "h1") }, replyDelayMs: 2500);
        var oldLond = h.StartLond(new[] { (h.AddressOf("h2"), "h2"), (h.AddressOf("h3"), "h3") });
        var newLond = h.StartLond(new[] { (h.SpareAddress(1), "h3"), (h.SpareAddress(2), "h4") });
        h.StartServing();
        var (pid1, pid2, pid3) = (h.ChildFor("h1")!.Value, h.ChildFor("h2")!.Value, h.ChildFor("h3")!.Value);

        // A request to h1 is in flight while the reload happens.
        lond1.Behaviour = LegacyLonc.Testbed.LondBehaviour.Slow;
        var slow = Task.Run(() => UnixClient.Request(h.Sandbox.SocketPath("h1"), "echo:still-here", 30_000));
        Assert.True(lond1.WaitForRequests(2, ParentHarness.Patience), "the slow request reached h1's lond\n" + h.Detail());
        h.WriteHostsTab(new[] { ("h1", h.AddressOf("h1")), ("h3", h.SpareAddress(1)), ("h4", h.SpareAddress(2)) });

        h.Signal(Signum.SIGUSR2);

        h.WaitLog("<font color=green>INFO: Updating connections via SIGUSR2</font>");
        h.WaitLog("<font color=red>CRITICAL: Killing child for h2 host no longer exists</font>");
        h.WaitLog("<font color=red>CRITICAL: Killing child for h3 host ip has changed...</font>");
        h.WaitLog("<font color=green>INFO: New host h4 discovered in hosts.tab...</font>");
        h.WaitServing(new[] { "h3", "h4" });
        Assert.Same(slow, await Task.WhenAny(slow, Task.Delay(ParentHarness.Patience)));
        Assert.Equal("still-here", await slow);

        // h1: the same child, on the same lond connection.
        Assert.Equal(pid1, h.ChildFor("h1"));
        Assert.Equal(1, lond1.ConnectionsTo("h1"));
        // h2: hung up as at shutdown and gone with its socket.
        Eventually.Assert(() => !ProcessTree.IsRunning(pid2) && !File.Exists(h.Sandbox.SocketPath("h2")), ParentHarness.Patience,
            "h2's child and socket gone", h.Detail);
        Assert.Contains("Closing h2: bye", h.Log);
        Assert.Contains("exit", oldLond.Requests);
        // h3: a new child connected to the new address.
        Assert.False(ProcessTree.IsRunning(pid3));
        Assert.NotEqual(pid3, h.ChildFor("h3"));
        Assert.True(newLond.ConnectionsTo("h3") >= 1);
        Assert.Equal(0, h.Count("Killing child for h1"));
        Eventually.Assert(() => h.Children().Count == 3, ParentHarness.Patience, "one child each for h1, h3, h4", h.Detail);

        // The report knows the removed host.
        var report = h.Report(new[] { "h1", "h2", "h3", "h4" });
        Assert.Contains(report, l => l.StartsWith("-\th2\tremoved\t", StringComparison.Ordinal) && l.Contains("host no longer exists"));
    }

    [Fact]
    public void A_malformed_line_or_an_unreadable_hosts_tab_takes_no_host_down()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var before = h.Hosts.ToDictionary(x => x, x => h.ChildFor(x)!.Value);

        // A typo in h2's address: reported with file and line, h2 keeps its child.
        h.WriteHostsTab(new[] { ("h1", h.AddressOf("h1")) }, "h2:sandbox:library:h2.sandbox.invalid:127.0.0.300");
        h.Signal(Signum.SIGUSR2);
        h.WaitLog("WARNING: h2 keeps running as it was");
        Assert.Contains($"<font color=blue>WARNING: {h.HostsTab}:2: host h2: bad IP address", h.Log);

        // No hosts.tab at all (a directory in its place): the table stays.
        File.Delete(h.HostsTab);
        Directory.CreateDirectory(h.HostsTab);
        h.Signal(Signum.SIGUSR2);
        h.WaitLog("hosts stay as they are");
        Assert.Contains($"{h.HostsTab}: cannot read", h.Log);

        // A broken configuration: nothing applied either.
        Directory.Delete(h.HostsTab);
        h.WriteHostsTab(Array.Empty<(string, System.Net.IPAddress)>());
        File.AppendAllText(Path.Combine(h.Sandbox.ConfDir, "loncapa.conf"), "PerlSetVar loncChildMaxAttempts many\n");
        h.Signal(Signum.SIGUSR2);
        h.WaitLog("the configuration has errors; hosts and settings stay as they are");

        Assert.Equal(3, h.Count("INFO: Updating connections via SIGUSR2"));
        Assert.Equal(0, h.Count("Killing child"));
        Assert.All(h.Hosts, x => Assert.Equal(before[x], h.ChildFor(x)));
        Assert.All(h.Hosts, x => Assert.True(h.Serves(x)));
    }

    [Fact]
    public void USR2_with_a_moved_socket_directory_asks_for_a_restart_and_changes_nothing()
    {
        using var h = new ParentHarness(1);
        h.StartServing();
        var child = h.ChildFor("h1");
        File.AppendAllText(Path.Combine(h.Sandbox.ConfDir, "loncapa.conf"), $"PerlSetVar lonSockDir {h.Sandbox.Builder.Root}/elsewhere\n");
        h.WriteHostsTab(Array.Empty<(string, System.Net.IPAddress)>());

        h.Signal(Signum.SIGUSR2);

        h.WaitLog("WARNING: USR2: lonSockDir changed; that needs a restart (HUP): nothing applied");
        Assert.Equal(child, h.ChildFor("h1"));
        Assert.True(h.Serves("h1"));
    }
}
