using System.Diagnostics;
using LegacyLonc.Cli;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

/// <summary><c>lonc --status</c> against a running daemon, a stopped one, and a pid file naming somebody else.</summary>
public class StatusCommandTests
{
    private static LoncProcess Status(ParentHarness h)
    {
        var p = h.Sandbox.Own(LoncProcess.Start(TestBinaries.Lonc, "--status", "--conf-dir", h.Sandbox.ConfDir));
        Assert.True(p.WaitForExit(ParentHarness.Patience), "lonc --status ends");
        return p;
    }

    [Fact]
    public void Against_a_running_daemon_it_prints_every_host_as_a_table()
    {
        using var h = new ParentHarness(3, new Dictionary<string, string>
        {
            ["loncChildMaxAttempts"] = "0",
            ["loncFailSleepMin"] = "0",
            ["loncFailSleepSpread"] = "0",
        }, lond: false);
        h.StartLondFor("h1", "h2");
        h.StartServing(onlyHosts: new[] { "h1", "h2" });
        h.WaitLog("WARNING: Skipped h3 ");

        var p = Status(h);

        Assert.Equal(0, p.ExitCode);
        var lines = p.StdOut.Split('\n');
        Assert.Matches($@"^lonc \(pid {h.Pid}\), \w{{3}} \w{{3}} .+ \d{{4}}: 3 hosts: 2 serving, 1 skipped$", lines[0]);
        Assert.Matches(@"^HOST +PID +STATE +LAST LOG LINE$", lines[2]);
        Assert.Matches($@"^h1 +{h.ChildFor("h1")} +serving: .+ +\w{{3}} .+: h1 online$", lines[3]);
        Assert.Matches($@"^h2 +{h.ChildFor("h2")} +serving: ", lines[4]);
        Assert.Matches(@"^h3 +- +skipped after 0 attempts, restarting now +\w{3} .+: WARNING: Skipped h3$", lines[5]);
        Assert.DoesNotContain("<font", p.StdOut);
    }

    [Fact]
    public void Against_a_stopped_daemon_it_says_so_and_exits_1()
    {
        using var h = new ParentHarness(1, lond: false);

        var p = Status(h);

        Assert.Equal(1, p.ExitCode);
        Assert.Equal("", p.StdOut);
        Assert.Contains($"lonc: lonc is not running (no live process named in {h.Sandbox.Builder.PidFile})", p.StdErr);
    }

    [Fact]
    public void A_pid_file_naming_another_process_gets_that_process_no_signal()
    {
        using var h = new ParentHarness(1, lond: false);
        using var sleeper = h.Sandbox.Own(LoncProcess.Start("/bin/sleep", "60"));
        File.WriteAllText(h.Sandbox.Builder.PidFile, $"{sleeper.Pid}\n");

        var p = Status(h);

        Assert.Equal(1, p.ExitCode);
        Assert.Contains($"process {sleeper.Pid} named in {h.Sandbox.Builder.PidFile} does not catch USR1", p.StdErr);
        Assert.False(sleeper.HasExited);
    }

    [Fact]
    public void A_host_without_a_line_ends_the_wait_at_the_bound_with_a_note()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), StatusCommand.Patience);
        using var h = new ParentHarness(1);
        h.StartServing();
        // Listed in hosts.tab, but the running lonc was not told (no USR2): it will never have a line.
        h.WriteHostsTab(new[] { ("h1", h.AddressOf("h1")), ("h2", h.SpareAddress(1)) });
        var output = new StringWriter();
        var errors = new StringWriter();

        var clock = Stopwatch.StartNew();
        var exit = StatusCommand.Run(new LoncOptions { ConfDir = h.Sandbox.ConfDir }, output, errors, TimeSpan.FromSeconds(1));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0, exit);
        Assert.Contains("No line yet from h2 (", output.ToString());
        Assert.Matches(@"\nh1 +\d+ +serving: ", output.ToString());
        Assert.Equal("", errors.ToString());
    }
}
