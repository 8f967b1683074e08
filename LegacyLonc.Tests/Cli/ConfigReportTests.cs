using System.Text.RegularExpressions;
using LegacyLonc.Cli;
using LegacyLonc.Tests.Configuration;

namespace LegacyLonc.Tests.Cli;

public class ConfigReportTests
{
    private static (int Exit, string Out, string Err) Check(string confDir)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = ConfigReport.Run(new LoncOptions { Mode = LoncMode.CheckConfig, ConfDir = confDir }, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private static string Esc(string text) => Regex.Escape(text);

    [Fact]
    public void The_sample_configuration_is_clean()
    {
        using var tree = ConfTree.Sample();

        var (exit, output, errors) = Check(tree.Dir);

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
        Assert.Matches($@"lonHostID += msul1 +\({Esc(tree.SiteConf)}:\d+\)", output);
        Assert.Matches($@"lonDaemons += /home/httpd/perl +\({Esc(tree.ApacheConf)}:\d+\)", output);
        Assert.Matches($@"lonTabDir += {Esc(tree.Dir)} +\({Esc(tree.SiteConf)}:\d+, given as ""\.""\)", output);
        Assert.Matches(@"loncRequestTimeout += 300 +\(default\)", output);
        Assert.Matches(@"msul1 +msu +library +zaphod\.msu\.example\.edu +192\.0\.2\.51 +this server \(lonHostID\)", output);
        Assert.Matches(@"huba20 +hub +access +\S+ +198\.51\.100\.40\n", output);
        Assert.Contains("Problems: none", output);
        Assert.DoesNotContain("Warnings", output);
    }

    [Fact]
    public void A_broken_configuration_lists_every_problem_with_file_and_line_and_exits_1()
    {
        using var tree = ConfTree.Sample();
        File.AppendAllText(tree.SiteConf, "PerlSetVar londPort 56x3\nPerlSetVar loncInitTimeout 0\n");
        File.AppendAllText(tree.HostsTab, "bad/id:d:r:h:192.0.2.1\nmsua1:msu:access:h:192.0.2.2\n");
        var siteLines = File.ReadAllLines(tree.SiteConf).Length;
        var tabLines = File.ReadAllLines(tree.HostsTab).Length;

        var (exit, output, errors) = Check(tree.Dir);

        Assert.Equal(1, exit);
        var problems = output[output.IndexOf("Problems (4):", StringComparison.Ordinal)..];
        Assert.Contains($"{tree.SiteConf}:{siteLines - 1}: londPort \"56x3\" is not a number", problems);
        Assert.Contains($"{tree.SiteConf}:{siteLines}: loncInitTimeout 0 is out of range", problems);
        Assert.Contains($"{tree.HostsTab}:{tabLines - 1}: host id \"bad/id\" contains '/'", problems);
        Assert.Contains($"{tree.HostsTab}:{tabLines}: duplicate host id msua1", problems);
        Assert.Matches(@"londPort += \? +\(missing or invalid, see problems\)", output);
        Assert.Contains("5 hosts", output);  // the good hosts are still listed
        Assert.Equal("lonc: 4 problems in the configuration (see above)\n", errors);
    }

    [Fact]
    public void A_lonHostID_missing_from_hosts_tab_is_a_warning_only()
    {
        using var tree = ConfTree.Minimal(hosts: "other:d:access:o:127.0.0.2\n");

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(0, exit);
        Assert.Contains("Warnings:\n  lonHostID here is not in hosts.tab", output);
        Assert.DoesNotContain("this server (lonHostID)", output);
    }

    [Fact]
    public void An_unreadable_hosts_tab_is_a_problem()
    {
        using var tree = ConfTree.Minimal();
        File.Delete(tree.HostsTab);

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Contains($"  {tree.HostsTab}: cannot read: no such file", output);
    }

    [Fact]
    public void Hosts_tab_is_still_checked_when_another_setting_is_broken()
    {
        using var tree = ConfTree.Minimal("PerlSetVar londPort x\n", hosts: "here:d:r:h:1.2.3\n");

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Contains($"{tree.SiteConf}:3: londPort", output);
        Assert.Contains($"{tree.HostsTab}:1: host here: bad IP address", output);
    }

    [Fact]
    public void A_missing_configuration_directory_names_both_files()
    {
        using var tree = new ConfTree();
        var dir = tree.PathOf("nowhere");

        var (exit, output, _) = Check(dir);

        Assert.Equal(1, exit);
        Assert.Contains($"{dir}/loncapa_apache.conf: cannot read: no such file", output);
        Assert.Contains($"{dir}/loncapa.conf: cannot read: no such file", output);
    }
}
