using LegacyLonc.Cli;
using LegacyLonc.Tests.Configuration;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Cli;

/// <summary>The real lonc binary's one-shot modes, and the option parser behind them.</summary>
public class LoncCommandLineTests
{
    private static LoncProcess RunToEnd(params string[] args)
    {
        var p = LoncProcess.Start(TestBinaries.Lonc, args);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "lonc did not exit");
        return p;
    }

    [Fact]
    public void Check_config_on_the_sample_exits_0_and_on_a_broken_copy_exits_1()
    {
        using var tree = ConfTree.Sample();
        using (var ok = RunToEnd("--check-config", "--conf-dir", tree.Dir))
        {
            Assert.Equal(0, ok.ExitCode);
            Assert.Contains("Problems: none", ok.StdOut);
        }

        File.AppendAllText(tree.HostsTab, "broken\n");
        using var bad = RunToEnd("--check-config", "--conf-dir", tree.Dir);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{tree.HostsTab}:", bad.StdOut);
        Assert.Contains("1 problem in the configuration", bad.StdErr);
    }

    [Fact]
    public void Help_lists_options_files_and_signals()
    {
        using var p = RunToEnd("--help");

        Assert.Equal(0, p.ExitCode);
        Assert.Equal(Usage.HelpText, p.StdOut);
        foreach (var needle in new[]
                 {
                     "--conf-dir DIR", "--user NAME", "--foreground", "--check-config", "--version", "/etc/httpd/conf",
                     "loncapa_apache.conf", "loncapa.conf", "hosts.tab", "delayed", "logs/lonc.log", "logs/lonnet.perm.log",
                     "logs/lonc.pid", "<lonSockDir>/<id>", "lon-status/loncstatus.txt", "TERM, INT", "HUP", "USR1",
                 })
            Assert.Contains(needle, p.StdOut);
    }

    [Fact]
    public void Version_names_the_program_and_the_legacy_release()
    {
        using var p = RunToEnd("--version");

        Assert.Equal(0, p.ExitCode);
        Assert.Matches(@"^lonc \(LegacyLonc\) \d+\.\d+\.\d+, wire-compatible with lonc 1\.53\n$", p.StdOut);
    }

    [Fact]
    public void An_unknown_option_exits_64_with_a_hint()
    {
        using var p = RunToEnd("--bogus");

        Assert.Equal(64, p.ExitCode);
        Assert.Contains("unknown argument '--bogus' (try lonc --help)", p.StdErr);
    }

    [Fact]
    public void Options_parse_to_the_documented_defaults_and_modes()
    {
        var daemon = LoncOptions.Parse(Array.Empty<string>());
        Assert.Equal((LoncMode.Daemon, "/etc/httpd/conf", "www", false), (daemon.Mode, daemon.ConfDir, daemon.User, daemon.Foreground));

        var check = LoncOptions.Parse(new[] { "--check-config", "--conf-dir", "etc" });
        Assert.Equal((LoncMode.CheckConfig, "etc"), (check.Mode, check.ConfDir));

        Assert.Throws<UsageException>(() => LoncOptions.Parse(new[] { "--conf-dir" }));
        Assert.Throws<UsageException>(() => LoncOptions.Parse(new[] { "--conf-dir", "--foreground" }));
    }
}
