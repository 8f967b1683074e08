using System.Text.RegularExpressions;
using LegacyLonc.Cli;
using LegacyLonc.Posix;
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
    public void Check_config_exits_0_on_a_complete_tree_and_1_on_a_broken_copy()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        using (var ok = RunToEnd("--check-config", "--conf-dir", tree.Dir, "--user", Environment.UserName))
        {
            Assert.Equal(0, ok.ExitCode);
            Assert.Contains("Problems: none", ok.StdOut);
        }

        File.AppendAllText(tree.HostsTab, "broken\n");
        using var bad = RunToEnd("--check-config", "--conf-dir", tree.Dir, "--user", Environment.UserName);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{tree.HostsTab}:", bad.StdOut);
        Assert.Contains("1 problem in the configuration", bad.StdErr);
    }

    /// <summary>
    /// The help is checked against what lonc does, written down here independently of Usage.HelpText:
    /// the administrator's options, every file read or written, the signals and the exit codes.
    /// </summary>
    [Fact]
    public void Help_names_every_option_file_signal_and_exit_code()
    {
        using var p = RunToEnd("--help");

        Assert.Equal(0, p.ExitCode);
        Assert.Equal("", p.StdErr);
        var help = p.StdOut;
        Assert.StartsWith("Usage: lonc ", help);
        foreach (var option in new[] { "--conf-dir DIR", "--user NAME", "--foreground", "--check-config", "--help", "--version" })
            Assert.Contains(option, help);
        Assert.Contains("(default /etc/httpd/conf)", help);
        Assert.Contains("(default www)", help);
        foreach (var file in new[]
                 {
                     "DIR/loncapa_apache.conf", "DIR/loncapa.conf", "<lonTabDir>/hosts.tab", "<lonSockDir>/delayed/",
                     "<lonDaemons>/logs/lonc.log", "<lonDaemons>/logs/lonnet.perm.log", "<lonDaemons>/logs/lonc.pid",
                     "<lonSockDir>/<id>", "<lonDocRoot>/lon-status/loncstatus.txt",
                 })
            Assert.Contains(file, help);

        // Each signal the parent and a child act on is listed in that process's block.
        var signals = help[help.IndexOf("Signals:", StringComparison.Ordinal)..];
        var child = signals.IndexOf("\n  child ", StringComparison.Ordinal);
        Assert.True(child > 0, "the help has a child block under Signals:");
        var (parentBlock, childBlock) = (signals[..child], signals[child..]);
        foreach (var signal in new[] { "TERM", "INT", "HUP", "USR1" })
            Assert.Matches($@"\b{signal}\b", parentBlock);
        foreach (var signal in new[] { "USR1", "INT", "TERM" })
            Assert.Matches($@"\b{signal}\b", childBlock);

        Assert.Contains("0 success, 1 failure (a crash, a daemon that did not start), 64 command-line error, 78 refused", help);
        // How the parent starts its own images is not the administrator's business.
        foreach (var internalOption in new[] { "--child", "--detached", ProcessTitle.RoomPrefix })
            Assert.DoesNotContain(internalOption, help);

        // Every option the help mentions is one the parser accepts (with a value where the help shows one).
        foreach (Match m in Regex.Matches(help, @"(--[a-z][a-z-]*)(?: ([A-Z]+))?"))
        {
            var args = m.Groups[2].Success ? new[] { m.Groups[1].Value, "value" } : new[] { m.Groups[1].Value };
            // --json is a modifier of --status, not an option of its own.
            if (args[0] == "--json")
                args = new[] { "--status", "--json" };
            var parsed = LoncOptions.Parse(args);
            Assert.NotNull(parsed);
        }
    }

    [Fact]
    public void Version_names_the_program_and_the_legacy_release()
    {
        using var p = RunToEnd("--version");

        Assert.Equal(0, p.ExitCode);
        Assert.Matches(@"^lonc \(LegacyLonc\) \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}(-dirty)?\), wire-compatible with lonc 1\.53\n$", p.StdOut);
    }

    /// <summary>
    /// The commit is the repository's HEAD the tests run from (scripts/test publishes lonc from it just before), with
    /// -dirty exactly when tracked files differ from HEAD.
    /// </summary>
    [FactWhenInstalled("git", "install git; a build without git says (commit unknown)")]
    public void Version_names_the_commit_lonc_was_built_from()
    {
        var head = Git("rev-parse", "--short", "HEAD").Trim();
        var dirty = Git("status", "--porcelain", "--untracked-files=no").Length > 0 ? "-dirty" : "";

        using var p = RunToEnd("--version");

        Assert.Equal(0, p.ExitCode);
        Assert.Contains($" (commit {head}{dirty}), ", p.StdOut);
    }

    private static string Git(params string[] args)
    {
        var (exit, output, errors) = ExternalProgram.Run(FactWhenInstalledAttribute.Locate("git")!,
            new[] { "-C", Repository.Root }.Concat(args));
        Assert.True(exit == 0, $"git {string.Join(' ', args)}: {errors}");
        return output;
    }

    [Theory]
    [InlineData("--check-config", "--status", "option --status cannot be combined with --check-config (one mode at a time)")]
    [InlineData("--status", "--check-config", "option --check-config cannot be combined with --status (one mode at a time)")]
    public void Two_modes_at_once_are_a_usage_error(string first, string second, string message)
    {
        using var p = RunToEnd(first, second);

        Assert.Equal(64, p.ExitCode);
        Assert.Equal($"lonc: {message}\n", p.StdErr);
        Assert.Equal("", p.StdOut);
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
