using System.Net;
using System.Text;
using LegacyLonc.Configuration;

namespace LegacyLonc.Tests.Configuration;

/// <summary>The configuration a parent hands its child: every effective setting and the host entry, and nothing else accepted.</summary>
public class ConfigSnapshotTests
{
    private static readonly Dictionary<string, string> Required = new()
    {
        ["lonHostID"] = "msul1",
        ["londPort"] = "5663",
        ["lonSockDir"] = "/home/httpd/perl/sockets",
        ["lonDaemons"] = "/home/httpd/perl",
        ["lonTabDir"] = "/home/httpd/lonTabs",
        ["lonDocRoot"] = "/home/httpd/html",
    };

    [Fact]
    public void Settings_and_host_survive_the_trip_through_the_snapshot()
    {
        var settings = SettingsLoader.FromValues(new Dictionary<string, string>(Required)
        {
            ["loncFailSleepMin"] = "7",
            ["loncRestartBackoff"] = "on",
            ["loncPipelineDepth"] = "8",
        }, "test");
        var host = new HostEntry("msul2", "msu", "library", "zaphod \"b\".msu.edu", IPAddress.Parse("192.0.2.7"), 12);

        var (back, backHost) = ConfigSnapshot.Parse(ConfigSnapshot.Serialize(settings, host));

        Assert.Equal(settings.EffectiveValues.OrderBy(kv => kv.Key), back.EffectiveValues.OrderBy(kv => kv.Key));
        Assert.Equal(settings with { EffectiveValues = back.EffectiveValues }, back);
        Assert.Equal(7, back.FailSleepMin);
        Assert.True(back.RestartBackoff);
        Assert.Equal(8, back.PipelineDepth);
        Assert.Equal(host, backHost);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"settings\":{}}")]
    [InlineData("{\"settings\":{\"londPort\":\"99999\"},\"host\":{}}")]
    public void Anything_else_is_a_configuration_error(string text)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigSnapshot.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(ConfigSnapshot.Origin, e.Message);
    }
}
