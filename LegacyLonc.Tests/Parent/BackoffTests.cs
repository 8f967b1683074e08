using System.Diagnostics;
using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>loncRestartBackoff on, against the real daemon: a failing host is retried with growing, capped delays.</summary>
public class BackoffTests
{
    private static Dictionary<string, string> Settings(int min, int max) => new()
    {
        ["loncRestartBackoff"] = "on",
        ["loncRestartBackoffMin"] = min.ToString(),
        ["loncRestartBackoffMax"] = max.ToString(),
        // 1.53's give-up limit would skip the host after its first restart.
        ["loncChildMaxAttempts"] = "1",
        ["loncFailSleepMin"] = "0",
        ["loncFailSleepSpread"] = "0",
    };

    [Fact]
    public void A_failing_host_is_restarted_with_growing_capped_delays_and_never_skipped()
    {
        using var h = new ParentHarness(1, Settings(min: 1, max: 2), lond: false);
        var clock = Stopwatch.StartNew();
        h.Start();

        h.WaitLog("INFO: h1 backing off 1 s after 1 failure</font>");
        var first = clock.Elapsed;
        h.WaitLog("INFO: h1 backing off 2 s after 2 failures</font>");
        h.WaitLog("INFO: h1 backing off 2 s after 3 failures</font>");
        var third = clock.Elapsed;

        // The restarts waited out their delays (1 s, then 2 s) between the first and the third failure.
        Assert.True(third - first >= TimeSpan.FromSeconds(2.8), $"{(third - first).TotalSeconds:0.00} s between failure 1 and 3\n{h.Detail()}");
        var delays = Regex.Matches(h.Log, @"INFO: h1 backing off (\d+) s after").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(new[] { 1, 2, 2 }, delays.Take(3));
        Assert.True(h.Count("Attempting to start child for server h1") >= 3);
        // Each restart after a delay says why the host starts (HostRecord's state line).
        Assert.True(h.Count("host h1: backing off -> starting (backoff delay over)") >= 2, h.Detail());
        Assert.Equal(0, h.Count("Skipped"));
        Assert.Equal(0, h.Count("Trying to reconnect"));
        Assert.False(h.Parent!.HasExited);
    }

    [Fact]
    public void USR1_cuts_a_backoff_delay_short_and_the_report_says_until_when_it_was()
    {
        using var h = new ParentHarness(2, Settings(min: 600, max: 600), lond: false);
        h.StartLondFor("h1");
        h.StartServing(onlyHosts: new[] { "h1" });
        h.WaitLog("INFO: h2 backing off 600 s after 1 failure</font>");
        h.StartLondFor("h2");

        var lines = h.Report(h.Hosts);

        Assert.Matches(@"^-\th2\tbacking off until \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}, restarting now\t.*backing off 600 s", h.StatusLineOf("h2"));
        h.WaitLog("<font color=green>INFO: Restarting child for server: h2</font>");
        h.WaitServing(new[] { "h2" });
        Assert.Equal(2, lines.Length - 1);
    }
}
