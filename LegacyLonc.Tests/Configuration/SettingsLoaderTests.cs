using LegacyLonc.Configuration;

namespace LegacyLonc.Tests.Configuration;

public class SettingsLoaderTests
{
    [Fact]
    public void Reads_both_files_and_builds_the_settings()
    {
        using var tree = ConfTree.Minimal();

        var s = SettingsLoader.Load(tree.Dir);

        Assert.Equal("here", s.LonHostId);
        Assert.Equal(5663, s.LondPort);
        Assert.Equal(Path.Combine(tree.Dir, "sockets"), s.LonSockDir);
        Assert.Equal(Path.Combine(tree.Dir, "daemons"), s.LonDaemons);
        Assert.Equal(tree.Dir, s.LonTabDir);
        Assert.Equal(Path.Combine(tree.Dir, "html"), s.LonDocRoot);
        Assert.Equal(new[] { tree.ApacheConf, tree.SiteConf }, s.FilesRead);
    }

    [Fact]
    public void Loncapa_conf_overrides_loncapa_apache_conf_and_a_later_line_an_earlier_one()
    {
        using var tree = ConfTree.Minimal();
        File.AppendAllText(tree.ApacheConf, "PerlSetVar lonHostID fromapache\nPerlSetVar loncPongDelay 7\n");
        File.AppendAllText(tree.SiteConf, "PerlSetVar loncPongDelay 8\nPerlSetVar loncPongDelay 9\n");

        var inspection = SettingsLoader.Inspect(tree.Dir);

        Assert.Equal("here", inspection.Settings!.LonHostId);
        Assert.Equal(9, inspection.Settings.PongDelay);
        var pong = inspection.Values.Single(v => v.Name == "loncPongDelay");
        Assert.Equal((tree.SiteConf, 4), (pong.Source!.File, pong.Source.Line));
    }

    [Fact]
    public void Optional_knobs_default_to_the_1_53_values()
    {
        using var tree = ConfTree.Minimal();

        var inspection = SettingsLoader.Inspect(tree.Dir);
        var s = inspection.Settings!;

        Assert.Equal((5, 120, 240, 5, 60, 300),
            (s.ChildMaxAttempts, s.FailSleepMin, s.FailSleepSpread, s.PongDelay, s.InitTimeout, s.RequestTimeout));
        Assert.All(inspection.Values.Where(v => v.Name.StartsWith("lonc")), v => Assert.Null(v.Source));
    }

    [Fact]
    public void Optional_knobs_are_read_when_set()
    {
        using var tree = ConfTree.Minimal(
            "PerlSetVar loncChildMaxAttempts 0\nPerlSetVar loncFailSleepMin 1\nPerlSetVar loncFailSleepSpread 0\n" +
            "PerlSetVar loncPongDelay 0\nPerlSetVar loncInitTimeout 1\nPerlSetVar loncRequestTimeout 86400\n");

        var s = SettingsLoader.Load(tree.Dir);

        Assert.Equal((0, 1, 0, 0, 1, 86400),
            (s.ChildMaxAttempts, s.FailSleepMin, s.FailSleepSpread, s.PongDelay, s.InitTimeout, s.RequestTimeout));
    }

    [Fact]
    public void LonTabs_is_accepted_for_lonTabDir_but_lonTabDir_wins()
    {
        using var tree = ConfTree.Minimal();
        File.WriteAllText(tree.ApacheConf, File.ReadAllText(tree.ApacheConf).Replace("lonTabDir", "lonTabs"));

        Assert.Equal(tree.Dir, SettingsLoader.Load(tree.Dir).LonTabDir);

        File.AppendAllText(tree.SiteConf, "PerlSetVar lonTabs /elsewhere\nPerlSetVar lonTabDir /proper\n");
        Assert.Equal("/proper", SettingsLoader.Load(tree.Dir).LonTabDir);
    }

    [Fact]
    public void Relative_directories_are_taken_relative_to_the_configuration_directory()
    {
        using var tree = ConfTree.Minimal("PerlSetVar lonTabDir .\nPerlSetVar lonSockDir ../sock/\n");

        var s = SettingsLoader.Load(tree.Dir);

        Assert.Equal(tree.Dir, s.LonTabDir);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(tree.Dir)!, "sock"), s.LonSockDir);
    }

    [Theory]
    [InlineData("lonHostID")]
    [InlineData("londPort")]
    [InlineData("lonSockDir")]
    [InlineData("lonDaemons")]
    [InlineData("lonTabDir")]
    [InlineData("lonDocRoot")]
    public void A_missing_required_key_is_an_error_naming_the_key_and_both_files(string key)
    {
        using var tree = ConfTree.Minimal();
        foreach (var file in new[] { tree.ApacheConf, tree.SiteConf })
            File.WriteAllLines(file, File.ReadAllLines(file).Where(l => !l.Contains($" {key} ")));

        var e = Assert.Throws<ConfigException>(() => SettingsLoader.Load(tree.Dir));

        var p = Assert.Single(e.Problems);
        Assert.Equal($"{tree.SiteConf}: ", p.ToString()[..(tree.SiteConf.Length + 2)]);
        Assert.Contains($"{key}", p.Message);
        Assert.Contains("is not set", p.Message);
        Assert.Contains(tree.ApacheConf, p.Message);
        Assert.Contains(tree.SiteConf, p.Message);
    }

    [Fact]
    public void A_name_in_the_wrong_letter_case_is_pointed_out()
    {
        using var tree = ConfTree.Minimal();
        File.WriteAllText(tree.SiteConf, "PerlSetVar lonHostID here\nPerlSetVar londport 5663\n");

        var p = Assert.Single(SettingsLoader.Inspect(tree.Dir).Problems);

        Assert.Contains($"found londport at {tree.SiteConf}:2; names are case-sensitive", p.Message);
    }

    [Theory]
    [InlineData("londPort", "56x3", "is not a number")]
    [InlineData("londPort", "5663.0", "is not a number")]
    [InlineData("loncInitTimeout", "ten", "is not a number")]
    [InlineData("londPort", "0", "is out of range (expected a whole number from 1 to 65535)")]
    [InlineData("londPort", "65536", "is out of range")]
    [InlineData("loncChildMaxAttempts", "-1", "is out of range (expected a whole number from 0 to")]
    [InlineData("loncFailSleepMin", "-1", "is out of range")]
    [InlineData("loncFailSleepSpread", "99999999999999", "is out of range")]
    [InlineData("loncPongDelay", "-5", "is out of range")]
    [InlineData("loncInitTimeout", "0", "is out of range (expected a whole number from 1 to 86400)")]
    [InlineData("loncRequestTimeout", "0", "is out of range")]
    [InlineData("lonHostID", "", "lonHostID is empty")]
    [InlineData("lonSockDir", "", "lonSockDir is empty")]
    public void A_bad_value_is_an_error_naming_the_key_file_and_line(string key, string value, string message)
    {
        using var tree = ConfTree.Minimal($"# override\nPerlSetVar {key} \"{value}\"\n");

        var e = Assert.Throws<ConfigException>(() => SettingsLoader.Load(tree.Dir));

        var p = Assert.Single(e.Problems);
        Assert.Equal((tree.SiteConf, 4), (p.File, p.Line));
        Assert.StartsWith(key, p.Message);
        Assert.Contains(message, p.Message);
        Assert.Contains($"{tree.SiteConf}:4: {key}", e.Message);
    }

    [Fact]
    public void Every_problem_is_collected_in_file_and_line_order()
    {
        using var tree = ConfTree.Minimal();
        File.WriteAllText(tree.SiteConf, "PerlSetVar loncPongDelay x\nPerlSetVar londPort 0\nPerlSetVar junk\n");

        var problems = SettingsLoader.Inspect(tree.Dir).Problems;

        Assert.Equal(new[] { 1, 2, 3, 0 }, problems.Select(p => p.Line));
        Assert.Contains("lonHostID is not set", problems[3].Message);
    }

    [Fact]
    public void A_malformed_line_stops_the_daemon_even_for_a_key_lonc_does_not_use()
    {
        using var tree = ConfTree.Minimal("PerlSetVar lonAdmEMail a@b c@d\n");

        var e = Assert.Throws<ConfigException>(() => SettingsLoader.Load(tree.Dir));

        Assert.Equal($"{tree.SiteConf}:3: PerlSetVar lonAdmEMail: has 2 values, expected one (quote a value that contains blanks); line ignored", e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_even_when_the_other_file_defines_everything()
    {
        using var tree = ConfTree.Minimal();
        File.AppendAllText(tree.SiteConf, File.ReadAllText(tree.ApacheConf));
        File.Delete(tree.ApacheConf);

        var e = Assert.Throws<ConfigException>(() => SettingsLoader.Load(tree.Dir));

        Assert.Equal($"{tree.ApacheConf}: cannot read: no such file", e.Message);
    }

    [Fact]
    public void A_missing_directory_is_one_problem_naming_the_directory()
    {
        using var tree = new ConfTree();
        var dir = tree.PathOf("nowhere");

        var problems = SettingsLoader.Inspect(dir).Problems;

        Assert.Equal(new[] { $"{dir}: no such directory; --conf-dir names the directory that holds loncapa.conf" },
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void A_missing_loncapa_conf_is_one_problem_not_one_per_setting_it_would_hold()
    {
        using var tree = ConfTree.Minimal();
        File.Delete(tree.SiteConf);

        var problems = SettingsLoader.Inspect(tree.Dir).Problems;

        Assert.Equal(new[] { $"{tree.SiteConf}: cannot read: no such file" }, problems.Select(p => p.ToString()));
    }
}
