using LegacyLonc.Cli;
using LegacyLonc.Configuration;

namespace LegacyLonc.Tests.Configuration;

/// <summary>loncRestartBackoff, loncRestartBackoffMin/Max/Reset: defaults, values, errors, and how --check-config shows them.</summary>
public class RestartBackoffSettingsTests
{
    [Fact]
    public void Restart_backoff_is_off_by_default_with_10_600_300_seconds()
    {
        using var tree = ConfTree.Minimal();

        var s = SettingsLoader.Load(tree.Dir);

        Assert.Equal((false, 10, 600, 300), (s.RestartBackoff, s.RestartBackoffMin, s.RestartBackoffMax, s.RestartBackoffReset));
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("On", true)]
    [InlineData("OFF", false)]
    public void Restart_backoff_reads_on_and_off_in_any_case(string value, bool on)
    {
        using var tree = ConfTree.Minimal(
            $"PerlSetVar loncRestartBackoff {value}\nPerlSetVar loncRestartBackoffMin 1\nPerlSetVar loncRestartBackoffMax 1\nPerlSetVar loncRestartBackoffReset 5\n");

        var inspection = SettingsLoader.Inspect(tree.Dir);

        Assert.Equal((on, 1, 1, 5), (inspection.Settings!.RestartBackoff, inspection.Settings.RestartBackoffMin,
            inspection.Settings.RestartBackoffMax, inspection.Settings.RestartBackoffReset));
        Assert.Equal(on ? "on" : "off", inspection.Value("loncRestartBackoff"));
    }

    [Theory]
    [InlineData("PerlSetVar loncRestartBackoff yes\n", "loncRestartBackoff \"yes\" is neither on nor off")]
    [InlineData("PerlSetVar loncRestartBackoffMin 0\n", "loncRestartBackoffMin 0 is out of range (expected a whole number from 1 to 86400)")]
    [InlineData("PerlSetVar loncRestartBackoffReset 86401\n", "loncRestartBackoffReset 86401 is out of range")]
    [InlineData("PerlSetVar loncRestartBackoffMin 60\nPerlSetVar loncRestartBackoffMax 30\n",
        "loncRestartBackoffMin 60 is above loncRestartBackoffMax 30")]
    [InlineData("PerlSetVar loncRestartBackoffMin 700\n", "loncRestartBackoffMin 700 is above loncRestartBackoffMax 600")]
    public void Bad_values_are_reported_with_file_and_line(string lines, string message)
    {
        using var tree = ConfTree.Minimal(lines);

        var e = Assert.Throws<ConfigException>(() => SettingsLoader.Load(tree.Dir));

        var p = Assert.Single(e.Problems);
        Assert.Equal((tree.SiteConf, 3), (p.File, p.Line));
        Assert.StartsWith(message, p.Message);
    }

    [Fact]
    public void Check_config_shows_them_with_their_origin()
    {
        using var tree = ConfTree.Minimal("PerlSetVar loncRestartBackoff ON\nPerlSetVar loncRestartBackoffMax 120\n").WithDirectories();
        var output = new StringWriter();

        Assert.Equal(0, ConfigReport.Run(new LoncOptions { ConfDir = tree.Dir, User = Environment.UserName }, output, new StringWriter()));

        var text = output.ToString();
        Assert.Matches($@"loncRestartBackoff += on +\({System.Text.RegularExpressions.Regex.Escape(tree.SiteConf)}:3, given as ""ON""\)", text);
        Assert.Matches(@"loncRestartBackoffMin += 10 +\(default\)", text);
        Assert.Matches(@"loncRestartBackoffMax += 120 +\(", text);
        Assert.Matches(@"loncRestartBackoffReset += 300 +\(default\)", text);
    }
}
