using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>INT/TERM stop, HUP restarts (every time), and a burst of signals leaves one sound parent.</summary>
public class SignalTests
{
    [Theory]
    [InlineData(Signum.SIGTERM)]
    [InlineData(Signum.SIGINT)]
    public void Stop_hangs_up_every_child_and_leaves_nothing_behind(Signum signal)
    {
        using var h = new ParentHarness(3);
        h.StartServing();
        var children = h.Children();
        Assert.Equal(3, children.Count);
        var connections = h.Sandbox.Lond!.Connections;

        h.Signal(signal);

        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), "parent exits\n" + h.Detail());
        Assert.Equal(0, h.Parent.ExitCode);
        Assert.All(children, c => Assert.False(ProcessTree.IsRunning(c), $"child {c} outlived the parent"));
        Assert.False(File.Exists(h.Sandbox.Builder.PidFile));
        Assert.All(h.Hosts, host => Assert.False(File.Exists(h.Sandbox.SocketPath(host)), $"socket of {host} left behind"));
        foreach (var host in h.Hosts)
            Assert.Contains($"Closing {host}: bye", h.Log);
        Assert.EndsWith("<font color=red>CRITICAL: Shutting down</font>", h.Log.TrimEnd('\n').Split('\n')[^1]);
        // The hang-up's exit ends each lond connection; no child opened a new one on its way out (each did, with a
        // handshake cut short by the stop signal and a WARNING blaming lond, before).
        Assert.Equal(connections, h.Sandbox.Lond.Connections);
        Assert.DoesNotContain("WARNING", h.Log);
    }

    [Fact]
    public void QUIT_is_an_abnormal_exit_that_still_takes_the_children_down()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var children = h.Children();

        h.Signal(Signum.SIGQUIT);

        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), "parent exits\n" + h.Detail());
        Assert.Equal(1, h.Parent.ExitCode);
        Assert.Contains($"<font color=red>CRITICAL: ABNORMAL EXIT. Child {h.Pid} for server [PARENT] died through \"QUIT\" with parameter </font>", h.Log);
        Assert.All(children, c => Assert.False(ProcessTree.IsRunning(c), $"child {c} outlived the parent"));
        Assert.False(File.Exists(h.Sandbox.Builder.PidFile));
    }

    [Fact]
    public void HUP_restarts_the_parent_image_every_time()
    {
        using var h = new ParentHarness(2);
        h.StartServing();

        for (var round = 1; round <= 2; round++)
        {
            var before = h.Children();
            h.Signal(Signum.SIGHUP);

            h.WaitLog("<font color=red>CRITICAL: Restarting</font>", round);
            h.WaitLog("---------- Starting ----------", round + 1);
            h.WaitServing(h.Hosts);
            Eventually.Assert(() => File.Exists(h.Sandbox.Builder.PidFile), ParentHarness.Patience, "pid file rewritten", h.Detail);
            // The new image keeps the pid loncron knows.
            Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
            Assert.False(h.Parent!.HasExited);
            Assert.All(before, c => Assert.False(ProcessTree.IsRunning(c), $"child {c} survived the restart"));
            Eventually.Assert(() => h.Children().Count == 2, ParentHarness.Patience, "two fresh children", h.Detail);
        }
    }

    [Fact]
    public void USR1_while_children_are_starting_kills_none_and_lists_each_as_starting_or_serving()
    {
        using var h = new ParentHarness(3);
        h.StartServing();
        h.Signal(Signum.SIGHUP);
        // The new image has just spawned its children: they have no USR1 handler yet.
        h.WaitLog("Done starting initial servers", 2);
        h.Signal(Signum.SIGUSR1);

        var statusFile = h.Sandbox.Builder.StatusFile;
        Eventually.Assert(() => ParentHarness.ReadLines(statusFile).Length == 4, ParentHarness.Patience,
            "header + 3 host lines", h.Detail);
        h.WaitServing(h.Hosts);
        Assert.Equal(0, h.Count("ended with"));
        Assert.Equal(3, h.Children().Count);
        foreach (var host in h.Hosts)
            Assert.Matches($@"^(-\t{host}\tstarting\t|\d+\t{host}\t)", h.StatusLineOf(host));
    }

    [Fact]
    public void A_burst_of_50_mixed_USR2_USR1_and_HUP_leaves_one_parent_with_one_child_per_host_and_every_HUP_took_effect()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var random = new Random(1953);
        var hups = 0;

        for (var i = 0; i < 50; i++)
        {
            var signal = (i % 7, random.Next(2)) switch
            {
                (3, _) => Signum.SIGHUP,
                (_, 0) => Signum.SIGUSR1,
                _ => Signum.SIGUSR2,
            };
            if (signal == Signum.SIGHUP)
            {
                // Each HUP must restart the parent. A HUP during a restart is rightly absorbed by it (the new
                // image reads everything afresh), so the next one waits until the previous new image is up;
                // the USR1s and USR2s after a HUP go straight into its hang-up, exec and start-up.
                h.WaitLog("---------- Starting ----------", hups + 1);
                hups++;
            }
            h.Signal(signal);
            Thread.Sleep(random.Next(1, 8));
        }

        Assert.False(h.Parent!.HasExited, "the parent survived the burst\n" + h.Detail());
        h.WaitLog("---------- Starting ----------", hups + 1);
        // Settled: one child per host, each serving, and no process left over from an earlier image.
        Eventually.Assert(() => h.Children().Count == 2 && h.Hosts.All(h.Serves), ParentHarness.Patience,
            "two children serving after the burst", h.Detail);
        Assert.Equal(hups, h.Count("<font color=red>CRITICAL: Restarting</font>"));
        Assert.True(h.Count("INFO: Updating connections via SIGUSR2") > 0, "some USR2 was applied\n" + h.Detail());
        Assert.Equal(0, h.Count("Killing child for"));
        Assert.Equal(2, h.Children().Count);
        Assert.All(h.Hosts, host => Assert.Contains(h.ChildFor(host)!.Value, h.Children()));
        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));

        // And it still obeys: a stop after the burst takes everything down.
        h.Signal(Signum.SIGTERM);
        Assert.True(h.Parent.WaitForExit(ParentHarness.Patience), "parent stops after the burst\n" + h.Detail());
    }
}
