using LegacyLonc.Cli;
using LegacyLonc.Configuration;

namespace LegacyLonc.Tests.Configuration;

/// <summary>loncPipelineDepth: default 1 (lonc 1.53's one request at a time), 1–64, shown by --check-config.</summary>
public class PipelineDepthSettingTests
{
    [Fact]
    public void Pipeline_depth_is_1_by_default()
    {
        using var tree = ConfTree.Minimal();

        Assert.Equal(1, SettingsLoader.Load(tree.Dir).PipelineDepth);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("8", 8)]
    [InlineData("64", 64)]
    public void Pipeline_depth_reads_1_to_64(string value, int depth)
    {
        using var tree = ConfTree.Minimal($"PerlSetVar loncPipelineDepth {value}\n");

        Assert.Equal(depth, SettingsLoader.Load(tree.Dir).PipelineDepth);
    }

    [Theory]
    [InlineData("0", "loncPipelineDepth 0 is out of range (expected a whole number from 1 to 64)")]
    [InlineData("65", "loncPipelineDepth 65 is out of range (expected a whole number from 1 to 64)")]
    [InlineData("eight", "loncPipelineDepth \"eight\" is not a number (expected a whole number from 1 to 64)")]
    public void Bad_depths_are_reported_with_file_and_line(string value, string message)
    {
        using var tree = ConfTree.Minimal($"PerlSetVar loncPipelineDepth {value}\n");

        var e = Assert.Throws<ConfigException>(() => SettingsLoader.Load(tree.Dir));

        var p = Assert.Single(e.Problems);
        Assert.Equal((tree.SiteConf, 3, message), (p.File, p.Line, p.Message));
    }

    [Fact]
    public void Check_config_shows_the_depth_and_its_origin()
    {
        using var tree = ConfTree.Minimal("PerlSetVar loncPipelineDepth 8\n").WithDirectories();
        var output = new StringWriter();

        Assert.Equal(0, ConfigReport.Run(new LoncOptions { ConfDir = tree.Dir, User = Environment.UserName }, output, new StringWriter()));

        Assert.Matches($@"loncPipelineDepth += 8 +\({System.Text.RegularExpressions.Regex.Escape(tree.SiteConf)}:3\)", output.ToString());
    }

    [Fact]
    public void Check_config_shows_the_default_depth()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        var output = new StringWriter();

        ConfigReport.Run(new LoncOptions { ConfDir = tree.Dir, User = Environment.UserName }, output, new StringWriter());

        Assert.Matches(@"loncPipelineDepth += 1 +\(default\)", output.ToString());
    }
}
