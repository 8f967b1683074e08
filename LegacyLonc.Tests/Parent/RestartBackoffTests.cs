using LegacyLonc.Configuration;
using LegacyLonc.Parent;

namespace LegacyLonc.Tests.Parent;

public class RestartBackoffTests
{
    private static RestartBackoff Policy(double random, int min = 10, int max = 600, int reset = 300) =>
        new(TimeSpan.FromSeconds(min), TimeSpan.FromSeconds(max), TimeSpan.FromSeconds(reset), () => random);

    [Fact]
    public void Without_jitter_the_delay_doubles_from_min_and_stops_at_max()
    {
        var p = Policy(random: 0);
        Assert.Equal(new[] { 10, 20, 40, 80, 160, 320, 600, 600, 600 }, Enumerable.Range(1, 9).Select(p.DelaySeconds));
        Assert.Equal(600, p.DelaySeconds(1000));
    }

    [Fact]
    public void Jitter_only_shortens_by_up_to_a_quarter_never_below_min_or_above_max()
    {
        var most = Policy(random: 0.999999);
        Assert.Equal(new[] { 10, 15, 30, 60, 120, 240, 450, 450 }, Enumerable.Range(1, 8).Select(most.DelaySeconds));

        var random = new Random(11);
        var p = new RestartBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(300), random.NextDouble);
        for (var k = 1; k <= 12; k++)
        {
            for (var i = 0; i < 200; i++)
            {
                var d = p.DelaySeconds(k);
                var nominal = p.Nominal(k).TotalSeconds;
                Assert.InRange(d, Math.Max(10, Math.Round(nominal * 0.75)), nominal);
            }
        }
    }

    [Fact]
    public void Every_uncapped_step_is_longer_than_any_value_of_the_step_before()
    {
        var shortest = Policy(random: 0.999999, min: 1, max: 3600);
        var longest = Policy(random: 0, min: 1, max: 3600);
        for (var k = 2; k <= 11; k++)
            Assert.True(shortest.DelaySeconds(k) > longest.DelaySeconds(k - 1), $"step {k}");
    }

    [Fact]
    public void Failures_count_on_until_a_child_served_for_the_reset_time()
    {
        var p = Policy(random: 0);
        Assert.Equal(1, p.FailuresAfter(0, TimeSpan.Zero));
        Assert.Equal(4, p.FailuresAfter(3, TimeSpan.FromSeconds(299)));
        Assert.Equal(1, p.FailuresAfter(3, TimeSpan.FromSeconds(300)));
    }

    [Fact]
    public void Settings_turn_it_on_and_off()
    {
        var off = new LoncSettings { LonHostId = "a", LondPort = 1, LonSockDir = "/s", LonDaemons = "/d", LonTabDir = "/t", LonDocRoot = "/r" };
        Assert.Null(RestartBackoff.From(off));
        var on = RestartBackoff.From(off with { RestartBackoff = true, RestartBackoffMin = 2, RestartBackoffMax = 8, RestartBackoffReset = 60 }, () => 0);
        Assert.Equal((2.0, 8.0, 60.0), (on!.Min.TotalSeconds, on.Max.TotalSeconds, on.Reset.TotalSeconds));
        Assert.Throws<ArgumentException>(() => Policy(0, min: 9, max: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy(0).DelaySeconds(0));
    }
}
