using LegacyLonc.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>The parent's population: one child per host, restarts, the attempt limit, USR1.</summary>
public class SupervisionTests
{
    [Fact]
    public void Three_hosts_get_three_children_that_each_serve_their_host()
    {
        using var h = new ParentHarness(3);
        h.StartServing();

        Eventually.Assert(() => h.Children().Count == 3, ParentHarness.Patience, "three children", h.Detail);
        foreach (var host in h.Hosts)
        {
            Assert.True(File.Exists(h.Sandbox.SocketPath(host)));
            Assert.Contains(h.ChildFor(host)!.Value, h.Children());
        }
        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
        h.WaitLog("Done starting initial servers");
        Assert.Equal(1, h.Count("<font color=red>CRITICAL: ---------- Starting ----------</font>"));
        Assert.Equal(3, h.Count("Attempting to start child for server h"));
        Assert.Contains("[PARENT]", h.Log);
    }

    [Fact]
    public void A_killed_child_is_restarted_and_the_death_is_logged()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var victim = h.ChildFor("h2")!.Value;

        Assert.Equal(0, Syscall.kill(victim, Signum.SIGKILL));

        Eventually.Assert(() => h.ChildFor("h2") is { } p && p != victim && h.Serves("h2"), ParentHarness.Patience,
            "a new child serving h2", h.Detail);
        h.WaitLog("<font color=yellow>INFO: Trying to reconnect for h2 (1 of 5 attempts)</font>");
        Assert.Contains($"Child {victim} for server h2 ended with signal 9 (SIGKILL)", h.Log);
        Assert.True(h.Serves("h1"));
        Assert.Equal(2, h.Children().Count);
    }

    [Fact]
    public void A_host_without_lond_is_retried_up_to_the_limit_then_skipped_and_USR1_brings_it_back()
    {
        using var h = ParentHarness.ServingH1WithH2Down(maxAttempts: 2, failSleepSpread: 1);

        h.WaitLog("<font color=blue>WARNING: Skipped h2 </font>");
        Assert.Equal(1, h.Count("INFO: Trying to reconnect for h2 (1 of 2 attempts)"));
        Assert.Equal(1, h.Count("INFO: Trying to reconnect for h2 (2 of 2 attempts)"));
        Assert.Equal(0, h.Count("Trying to reconnect for h1"));
        // Skipped means left down: no more attempts, one child (h1's) alive.
        Eventually.Assert(() => h.Children().Count == 1, ParentHarness.Patience, "only h1's child left", h.Detail);
        Assert.Equal(1, h.Count("WARNING: Skipped h2"));

        h.StartLondFor("h2");
        h.Signal(Signum.SIGUSR1);

        h.WaitLog("USR1: Trying to establish connections again");
        h.WaitLog("<font color=green>INFO: Restarting child for server: h2</font>");
        h.WaitServing(new[] { "h2" });
        Assert.Equal(0, h.Count("Restarting child for server: h1"));
        Assert.Equal(2, h.Children().Count);
    }

    [Fact]
    public void USR1_rewrites_the_status_file_with_a_header_and_a_line_per_child()
    {
        using var h = new ParentHarness(3);
        h.StartServing();
        var statusFile = h.Sandbox.Builder.StatusFile;
        File.WriteAllText(statusFile, "stale report\n");

        h.Signal(Signum.SIGUSR1);

        string[] Lines() => ParentHarness.ReadLines(statusFile);
        Eventually.Assert(() => Lines().Length == 4, ParentHarness.Patience, "header + 3 child lines in loncstatus.txt",
            () => string.Join("\n", Lines()) + "\n" + h.Detail());
        var lines = Lines();
        Assert.Matches($@"^LONC status \w{{3}} \w{{3}} [ \d]\d \d\d:\d\d:\d\d \d{{4}} - parent {h.Pid}$", lines[0]);
        foreach (var host in h.Hosts)
            Assert.Contains(lines.Skip(1), l => l.StartsWith($"{h.ChildFor(host)}\t{host}\t", StringComparison.Ordinal));
        // USR1 leaves the population alone when nothing is down.
        Assert.Equal(3, h.Children().Count);
        Assert.Equal(0, h.Count("Restarting child for server"));
    }

    [Fact]
    public void USR1_lists_every_host_even_those_that_are_down()
    {
        using var h = new ParentHarness(3, new Dictionary<string, string>
        {
            ["loncChildMaxAttempts"] = "1",
            ["loncFailSleepMin"] = "0",
            ["loncFailSleepSpread"] = "0",
        }, lond: false);
        h.StartLondFor("h1");
        h.StartServing(onlyHosts: new[] { "h1" });
        h.WaitLog("WARNING: Skipped h2 ");
        h.WaitLog("WARNING: Skipped h3 ");

        var lines = h.Report(h.Hosts);

        Assert.Matches($@"^LONC status \w{{3}} \w{{3}} [ \d]\d \d\d:\d\d:\d\d \d{{4}} - parent {h.Pid}$", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{h.ChildFor("h1")}\th1\t", h.StatusLineOf("h1"));
        foreach (var host in new[] { "h2", "h3" })
            Assert.Matches($@"^-\t{host}\tskipped after 1 attempt, restarting now\t\w{{3}} .*WARNING: Skipped {host} ", h.StatusLineOf(host));
    }

    [Fact]
    public void Reset_retries_is_answered_ok_by_the_child_and_zeroes_the_hosts_attempt_counter()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        for (var round = 1; round <= 2; round++)
        {
            var victim = h.ChildFor("h1")!.Value;
            Assert.Equal(0, Syscall.kill(victim, Signum.SIGKILL));
            h.WaitLog($"INFO: Trying to reconnect for h1 ({round} of 5 attempts)");
            Eventually.Assert(() => h.ChildFor("h1") is { } p && p != victim, ParentHarness.Patience, "h1's new child listening", h.Detail);
        }

        Assert.Equal("ok", UnixClient.Request(h.Sandbox.SocketPath("h1"), "reset_retries"));

        h.WaitLog("<font color=green>INFO: reset_retries: attempt counter of h1 set to 0</font>");
        Assert.Contains("<font color=green>INFO: Resetting Connection Retries.</font>", h.Log);
        Assert.DoesNotContain("reset_retries", h.Sandbox.Lond!.Requests);
        Assert.True(h.Serves("h1"));
        // The next death of h1 counts from 1 again; h2's counter was never touched.
        Assert.Equal(0, Syscall.kill(h.ChildFor("h1")!.Value, Signum.SIGKILL));
        h.WaitLog("INFO: Trying to reconnect for h1 (1 of 5 attempts)", 2);
        Assert.Equal(0, Syscall.kill(h.ChildFor("h2")!.Value, Signum.SIGKILL));
        h.WaitLog("INFO: Trying to reconnect for h2 (1 of 5 attempts)");
    }

    [Theory]
    [InlineData("000")]
    [InlineData("077")]
    public void The_status_directory_and_report_get_their_own_modes_whatever_the_umask(string umask)
    {
        using var h = new ParentHarness(1);
        Directory.Delete(Path.GetDirectoryName(h.Sandbox.Builder.StatusFile)!, recursive: true);
        var args = new[] { "-c", $"umask {umask}; exec \"$0\" \"$@\"", TestBinaries.Lonc,
            "--conf-dir", h.Sandbox.ConfDir, "--user", Environment.UserName, "--foreground" };
        using var parent = h.Sandbox.Own(LoncProcess.Start("/bin/sh", args));
        Eventually.Assert(() => h.Serves("h1"), ParentHarness.Patience, "h1 serving", h.Detail);

        Assert.Equal(0, Syscall.kill(parent.Pid, Signum.SIGUSR1));
        Eventually.Assert(() => ParentHarness.ReadLines(h.Sandbox.Builder.StatusFile).Length == 2, ParentHarness.Patience, "the report", h.Detail);

        Assert.Equal(StatusReport.DirectoryMode, File.GetUnixFileMode(Path.GetDirectoryName(h.Sandbox.Builder.StatusFile)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(h.Sandbox.Builder.StatusFile));
    }
}
