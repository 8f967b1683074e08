using LegacyLonc.Parent;

namespace LegacyLonc.Tests.Parent;

public class ChildTableTests
{
    private static ChildTable Table(int max = 2) => new(new[] { "h1", "h2", "h3" }, max);

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
}
