using LegacyLonc.Parent;
using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Parent;

public class ChildTableTests
{
    private static ChildTable Table(int max = 2, RestartBackoff? backoff = null) => new(new[] { "h1", "h2", "h3" }, max, backoff);

    private static long Seconds(double s) => MonotonicClock.Ticks(TimeSpan.FromSeconds(s));

    // Min 10 s, max 40 s, reset after 100 s, no jitter.
    private static RestartBackoff Backoff() =>
        new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(100), () => 0);

    [Fact]
    public void Tracks_host_to_pid_and_pid_to_host()
    {
        var t = Table();
        t.Started("h2", 200);
        t.Started("h1", 100);

        Assert.Equal(100, t.PidOf("h1"));
        Assert.Equal("h2", t.HostOf(200));
        Assert.Null(t.PidOf("h3"));
        Assert.Equal(new[] { ("h1", 100), ("h2", 200) }, t.Live);
        Assert.Equal(2, t.LiveCount);
    }

    [Fact]
    public void A_reaped_pid_is_forgotten_and_an_unknown_pid_is_ignored()
    {
        var t = Table();
        t.Started("h1", 100);

        Assert.Null(t.Exited(999));
        Assert.Equal("h1", t.Exited(100));
        Assert.Null(t.Exited(100));
        Assert.Null(t.PidOf("h1"));
        Assert.Empty(t.Live);
    }

    [Fact]
    public void Restarts_up_to_the_limit_then_skips()
    {
        var t = Table(max: 2);
        t.Started("h1", 1);

        t.Exited(1);
        Assert.Equal(AfterExit.Restart, t.Decide("h1"));
        Assert.Equal(1, t.Attempts("h1"));
        t.Started("h1", 2);

        t.Exited(2);
        Assert.Equal(AfterExit.Restart, t.Decide("h1"));
        Assert.Equal(2, t.Attempts("h1"));
        t.Started("h1", 3);

        t.Exited(3);
        Assert.Equal(AfterExit.Skip, t.Decide("h1"));
        Assert.Equal(new[] { "h1" }, t.Skipped);
    }

    [Fact]
    public void Success_does_not_reset_the_counter()
    {
        var t = Table(max: 5);
        t.Started("h1", 1);
        t.Exited(1);
        t.Decide("h1");
        // The restarted child runs for a long time; 1.53 still remembered the attempt.
        t.Started("h1", 2);
        Assert.Equal(1, t.Attempts("h1"));
    }

    [Fact]
    public void Usr1_zeroes_every_counter_and_returns_only_the_hosts_that_are_down()
    {
        var t = Table(max: 1);
        t.Started("h1", 1);
        t.Started("h2", 2);
        t.Started("h3", 3);
        // h1 gave up; h2 is on its last attempt and alive; h3 died once.
        t.Exited(1); t.Decide("h1"); t.Started("h1", 11); t.Exited(11); t.Decide("h1");
        t.Exited(2); t.Decide("h2"); t.Started("h2", 12);
        t.Exited(3); t.Decide("h3"); t.Started("h3", 13);

        var restart = t.ResetAttempts();

        Assert.Equal(new[] { "h1" }, restart);
        Assert.Empty(t.Skipped);
        Assert.All(t.Hosts, h => Assert.Equal(0, t.Attempts(h)));
    }

    [Fact]
    public void A_host_cannot_have_two_children_or_be_unknown()
    {
        var t = Table();
        t.Started("h1", 1);
        Assert.Throws<InvalidOperationException>(() => t.Started("h1", 2));
        Assert.Throws<ArgumentException>(() => t.Started("nope", 3));
    }

    [Fact]
    public void Starting_a_skipped_host_takes_it_off_the_skipped_list()
    {
        var t = Table(max: 0);
        t.Started("h1", 1);
        t.Exited(1);
        Assert.Equal(AfterExit.Skip, t.Decide("h1"));
        t.Started("h1", 2);
        Assert.Empty(t.Skipped);
    }

    [Fact]
    public void A_child_is_starting_until_it_reports_online_and_sleeping_after_its_failure()
    {
        var t = Table();
        t.Started("h1", 10);
        Assert.Equal(HostState.Starting, t.State("h1"));

        Assert.False(t.Online("h1", 99, 0));
        Assert.True(t.Online("h1", 10, 0));
        Assert.Equal(HostState.Serving, t.State("h1"));
        Assert.True(t.Sleeping("h1", 10));
        Assert.Equal(HostState.SleepingAfterFailure, t.State("h1"));
    }

    [Fact]
    public void The_status_knows_since_when_why_and_until_when_a_host_is_down()
    {
        var t = Table(max: 1);
        t.Started("h1", 10, Seconds(100));
        Assert.Equal(Seconds(100), t.Since("h1"));
        Assert.True(t.Sleeping("h1", 10, Seconds(101), 120, "Couldn't connect to h1 (120 secs): Connection refused"));
        Assert.Equal(Seconds(101), t.Since("h1"));
        // One attempt left: the next child is due when the sleep ends.
        Assert.Equal(Seconds(221), t.NextAttempt("h1"));
        Assert.Equal("Couldn't connect to h1 (120 secs): Connection refused", t.LastError("h1"));

        t.Exited(10);
        Assert.Equal(AfterExit.Restart, t.Decide("h1", Seconds(221)));
        t.Started("h1", 11, Seconds(221));
        Assert.Null(t.NextAttempt("h1"));
        // No attempt left: no next child after this sleep.
        t.Sleeping("h1", 11, Seconds(222), 120, "Init failed");
        Assert.Null(t.NextAttempt("h1"));
        t.Exited(11);
        Assert.Equal(AfterExit.Skip, t.Decide("h1", Seconds(342)));
        Assert.Equal(Seconds(342), t.Since("h1"));
        Assert.Equal("Init failed", t.LastError("h1"));

        t.Failed("h1", "Child 11 for server h1 ended with signal 9 (SIGKILL)");
        Assert.Equal("Child 11 for server h1 ended with signal 9 (SIGKILL)", t.LastError("h1"));
        t.ResetAttempts();
        t.Started("h1", 12, Seconds(400));
        Assert.True(t.Online("h1", 12, Seconds(401)));
        Assert.Equal("", t.LastError("h1"));
        Assert.Equal(Seconds(401), t.Since("h1"));
    }

    [Fact]
    public void Counts_serving_and_down_hosts_for_the_title()
    {
        var t = Table(max: 0);
        t.Started("h1", 1);
        t.Started("h2", 2);
        t.Started("h3", 3);
        t.Online("h1", 1, 0);
        t.Online("h2", 2, 0);
        t.Exited(2);
        t.Decide("h2");
        Assert.Equal((1, 1), t.Counts());
        t.Sleeping("h3", 3);
        Assert.Equal((1, 2), t.Counts());
    }

    [Fact]
    public void With_backoff_a_host_is_never_skipped_and_its_delay_grows_to_the_cap()
    {
        var t = Table(max: 0, Backoff());
        var delays = new List<int>();
        long now = Seconds(1000);
        for (var pid = 1; pid <= 5; pid++)
        {
            t.Started("h1", pid);
            t.Exited(pid);
            Assert.Equal(AfterExit.BackOff, t.Decide("h1", now));
            Assert.Equal(HostState.BackingOff, t.State("h1"));
            delays.Add(t.SecondsUntilRetry("h1", now));
            Assert.Empty(t.DueRestarts(t.RetryAt("h1") - 1));
            Assert.Equal(new[] { "h1" }, t.DueRestarts(t.RetryAt("h1")));
            Assert.Equal(HostState.Starting, t.State("h1"));
        }
        Assert.Equal(new[] { 10, 20, 40, 40, 40 }, delays);
        Assert.Equal(5, t.Failures("h1"));
        Assert.Empty(t.Skipped);
    }

    [Fact]
    public void With_backoff_a_child_that_served_for_the_reset_time_starts_the_delays_afresh()
    {
        var t = Table(backoff: Backoff());
        long now = Seconds(1000);
        t.Started("h1", 1);
        t.Exited(1);
        t.Decide("h1", now);
        t.Started("h1", 2);
        t.Online("h1", 2, now);
        t.Exited(2);
        t.Decide("h1", now + Seconds(99));
        Assert.Equal(2, t.Failures("h1"));

        t.Started("h1", 3);
        t.Online("h1", 3, now);
        t.Exited(3);
        t.Decide("h1", now + Seconds(100));
        Assert.Equal(1, t.Failures("h1"));
        Assert.Equal(10, t.SecondsUntilRetry("h1", now + Seconds(100)));
    }

    [Fact]
    public void Usr1_brings_back_a_backing_off_host_at_once_and_zeroes_its_failures()
    {
        var t = Table(backoff: Backoff());
        t.Started("h1", 1);
        t.Exited(1);
        t.Decide("h1", 0);
        Assert.Equal(Seconds(10), t.NextDeadline());
        Assert.Equal(new[] { "h1" }, t.ResetAttempts());
        Assert.Equal(0, t.Failures("h1"));
        Assert.Equal(HostState.Starting, t.State("h1"));
        Assert.Null(t.NextDeadline());
    }

    [Fact]
    public void Reset_retries_zeroes_only_the_reporting_hosts_counter_and_only_from_its_current_child()
    {
        var t = Table(max: 5);
        foreach (var (host, pid) in new[] { ("h1", 1), ("h2", 2) })
        {
            t.Started(host, pid);
            t.Exited(pid);
            t.Decide(host);
            t.Started(host, pid + 10);
        }
        Assert.False(t.ResetRetries("h1", 1));
        Assert.Equal(1, t.Attempts("h1"));
        Assert.True(t.ResetRetries("h1", 11));
        Assert.Equal((0, 1), (t.Attempts("h1"), t.Attempts("h2")));
    }

    [Fact]
    public void A_retired_child_no_longer_serves_its_host_and_its_death_is_no_restart_matter()
    {
        var t = Table();
        t.Started("h1", 1);
        Assert.Equal(1, t.Retire("h1", killAt: 500));
        Assert.Null(t.PidOf("h1"));
        Assert.Equal("h1", t.HostOf(1));
        Assert.True(t.IsRetiring("h1"));
        Assert.Equal(1, t.LiveCount);
        Assert.Equal(new[] { ("h1", 1) }, t.AllChildren);
        Assert.Throws<InvalidOperationException>(() => t.Started("h1", 2));

        t.StartWhenFree("h1");
        Assert.False(t.TakeStartWhenFree("h1"));
        Assert.Empty(t.OverdueRetirees(499));
        Assert.Equal(new[] { ("h1", 1) }, t.OverdueRetirees(500));
        Assert.Empty(t.OverdueRetirees(501));

        Assert.Equal("h1", t.Exited(1, out var retired));
        Assert.True(retired);
        Assert.True(t.TakeStartWhenFree("h1"));
        Assert.False(t.TakeStartWhenFree("h1"));
        t.Started("h1", 2);
        Assert.Equal(2, t.PidOf("h1"));
    }

    [Fact]
    public void A_reload_adds_removes_and_reorders_hosts_and_remembers_the_removed()
    {
        var t = Table();
        t.Started("h2", 2);
        t.Exited(2);
        t.Decide("h2");
        t.Note("h2", "Sat Nov 21 11:30:48 2026: gone");
        Assert.Throws<InvalidOperationException>(() => t.Add("h1"));

        t.Remove("h2");
        t.Add("h4");
        t.Reorder(new[] { "h4", "h3", "h1" });

        Assert.Equal(new[] { "h4", "h3", "h1" }, t.Hosts);
        Assert.False(t.Contains("h2"));
        Assert.Equal(new[] { ("h2", "Sat Nov 21 11:30:48 2026: gone") }, t.Removed);
        Assert.Equal(0, t.Attempts("h4"));
        Assert.Throws<ArgumentException>(() => t.Reorder(new[] { "h4", "h3" }));

        t.Add("h2");
        Assert.Empty(t.Removed);
        t.Started("h1", 1);
        Assert.Throws<InvalidOperationException>(() => t.Remove("h1"));
    }
}
