using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

/// <summary>What ps shows for the parent and its children: <c>lonc: &lt;status&gt; &lt;localtime&gt;</c>.</summary>
public class ProcessTitleTests
{
    private const string PerlLocaltime = @"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}";
    // The parent's status after start-up: "Forking ..." until something wakes it up, then the counts.
    private const string ParentStatus = @"(Forking \.\.\.|Woke up|\d+ serving, \d+ down)";

    [Fact]
    public void The_parent_shows_its_status_in_ps()
    {
        using var h = new ParentHarness(1);
        h.StartServing();

        Eventually.Assert(() => Regex.IsMatch(ProcessTree.CommandLine(h.Pid), $"^lonc: {ParentStatus} {PerlLocaltime}$"),
            ParentHarness.Patience, "parent title in /proc/pid/cmdline", () => ProcessTree.CommandLine(h.Pid));
        Assert.Matches(@"^lonc: (Forking \.|Woke up \w|1 serving)$", ProcessTree.Comm(h.Pid));

        // The HUP restart gives the new image title room of its own.
        h.Signal(Mono.Unix.Native.Signum.SIGHUP);
        h.WaitLog("---------- Starting ----------", 2);
        h.WaitServing(h.Hosts);
        Assert.Matches($"^lonc: {ParentStatus} {PerlLocaltime}$", ProcessTree.CommandLine(h.Pid));
    }

    [Fact]
    public void Each_child_shows_its_status_in_ps()
    {
        using var h = new ParentHarness(2);
        h.StartServing();

        foreach (var host in h.Hosts)
        {
            var child = h.ChildFor(host)!.Value;
            Eventually.Assert(() => Regex.IsMatch(ProcessTree.CommandLine(child), $"^lonc: .+ {PerlLocaltime}$"),
                ParentHarness.Patience, $"title of {host}'s child", () => ProcessTree.CommandLine(child));
            Assert.StartsWith("lonc: ", ProcessTree.Comm(child));
        }
    }

    [Fact]
    public void The_parent_title_counts_serving_and_down_hosts()
    {
        using var h = ParentHarness.ServingH1WithH2Down(maxAttempts: 0, failSleepSpread: 0);
        h.WaitLog("WARNING: Skipped h2 ");

        Eventually.Assert(() => Regex.IsMatch(ProcessTree.CommandLine(h.Pid), $"^lonc: 1 serving, 1 down {PerlLocaltime}$"),
            ParentHarness.Patience, "counts in the parent's title", () => ProcessTree.CommandLine(h.Pid));
    }
}
