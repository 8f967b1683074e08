using System.Text.RegularExpressions;
using LegacyLonc.Cli;
using LegacyLonc.Tests.Configuration;

namespace LegacyLonc.Tests.Cli;

public class ConfigReportTests
{
    /// <summary>The account every directory check is made for unless a test names another: the one running the tests.</summary>
    private static readonly string Me = Environment.UserName;

    private static (int Exit, string Out, string Err) Check(string confDir, string? user = null)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = ConfigReport.Run(new LoncOptions { Mode = LoncMode.CheckConfig, ConfDir = confDir, User = user ?? Me }, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private static string Esc(string text) => Regex.Escape(text);

    /// <summary>The lines of the "Problems (n):" section, without their indentation.</summary>
    private static string[] Problems(string output)
    {
        var start = output.IndexOf("Problems (", StringComparison.Ordinal);
        return start < 0 ? Array.Empty<string>() : output[start..].Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Trim()).ToArray();
    }

    /// <summary>The lines of the "Warnings:" section, without their indentation.</summary>
    private static string[] Warnings(string output)
    {
        var start = output.IndexOf("Warnings:\n", StringComparison.Ordinal);
        return start < 0 ? Array.Empty<string>() : output[start..].Split('\n').Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Trim()).ToArray();
    }

    [Fact]
    public void The_sample_configuration_parses_cleanly_and_only_this_machines_directories_are_missing()
    {
        using var tree = ConfTree.Sample();

        var (exit, output, errors) = Check(tree.Dir);

        Assert.Matches($@"lonHostID += msul1 +\({Esc(tree.SiteConf)}:\d+\)", output);
        Assert.Matches($@"lonDaemons += /home/httpd/perl +\({Esc(tree.ApacheConf)}:\d+\)", output);
        Assert.Matches($@"lonTabDir += {Esc(tree.Dir)} +\({Esc(tree.SiteConf)}:\d+, given as ""\.""\)", output);
        Assert.Matches(@"loncRequestTimeout += 300 +\(default\)", output);
        Assert.Matches(@"msul1 +msu +library +zaphod\.msu\.example\.edu +192\.0\.2\.51 +this server \(lonHostID\)", output);
        Assert.Matches(@"huba20 +hub +access +\S+ +198\.51\.100\.40\n", output);
        // The suite may run as root, which is a warning of its own.
        Assert.All(Warnings(output), w => Assert.StartsWith($"--user {Me}: lonc would run as root", w));
        // The sample names the paths of a LON-CAPA server; on a test machine only those are problems.
        Assert.Equal(1, exit);
        Assert.All(Problems(output), p => Assert.StartsWith("/home/httpd/", p));
        Assert.Contains("/home/httpd/perl/logs: does not exist; create it: mkdir -p /home/httpd/perl/logs", output);
        Assert.Matches(@"lonc: \d+ problems in the configuration", errors);
    }

    [Fact]
    public void A_tree_with_every_directory_in_place_is_clean_and_lists_what_was_checked()
    {
        using var tree = ConfTree.Minimal().WithDirectories();

        var (exit, output, errors) = Check(tree.Dir);

        Assert.Equal("", errors);
        Assert.Equal(0, exit);
        Assert.Contains($"Directories lonc writes to (checked for user {Me}, uid ", output);
        foreach (var dir in new[] { "daemons/logs", "sockets", "sockets/delayed", "html/lon-status" })
            Assert.Matches($@"\n  {Esc(tree.PathOf(dir))} +\S", output);
        Assert.Contains("Problems: none", output);
    }

    [Fact]
    public void Every_missing_directory_is_a_problem_naming_the_path_and_the_command_that_fixes_it()
    {
        using var tree = ConfTree.Minimal();
        Directory.CreateDirectory(tree.PathOf("daemons"));

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        string Fix(string dir) => $"mkdir -p {tree.PathOf(dir)} && chown {Me} {tree.PathOf(dir)}";
        Assert.Equal(new[]
        {
            $"{tree.PathOf("daemons/logs")}: does not exist; create it: {Fix("daemons/logs")}",
            $"{tree.PathOf("sockets")}: does not exist; create it: {Fix("sockets")}",
            $"{tree.PathOf("sockets/delayed")}: does not exist; create it: {Fix("sockets/delayed")}",
            $"{tree.PathOf("html")}: does not exist; check lonDocRoot, or create it with {tree.PathOf("html/lon-status")}: {Fix("html/lon-status")}",
        }, Problems(output));
    }

    [Theory]
    [InlineData("sockets", 0x1FF, "its group and every user", "one UNIX socket per host")]
    [InlineData("sockets/delayed", 0x1FD, "its group", "delayed messages, removed once delivered")]
    [InlineData("daemons/logs", 0x1EF, "every user", "lonc.log, lonc.pid, lonnet.perm.log")]
    public void A_directory_lonc_writes_to_that_group_or_others_can_write_is_a_problem(string dir, int mode, string writers, string purpose)
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        File.SetUnixFileMode(tree.PathOf(dir), (UnixFileMode)mode);

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Equal($"{tree.PathOf(dir)}: writable by {writers} (owner {Me}, mode 0{Convert.ToString(mode, 8)}): another user could replace or plant what lonc keeps here ({purpose}); chmod go-w {tree.PathOf(dir)}",
            Assert.Single(Problems(output)));
    }

    [Fact]
    public void A_directory_lonc_writes_to_that_another_user_owns_is_a_problem()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        Directory.CreateDirectory(tree.PathOf("html/lon-status"));
        File.SetUnixFileMode(tree.PathOf("html/lon-status"), (UnixFileMode)0x1ED);
        var nobody = LegacyLonc.Posix.UnixAccount.Find("nobody")!;
        Assert.Equal(0, Mono.Unix.Native.Syscall.chown(tree.PathOf("html/lon-status"), nobody.Uid, unchecked((uint)-1)));

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        var dir = tree.PathOf("html/lon-status");
        Assert.Contains($"{dir}: owned by nobody, not by {Me} or root (owner nobody, mode 0755): another user could replace or plant what lonc keeps here (loncstatus.txt, written on USR1); chown {Me} {dir}", Problems(output));
    }

    [Fact]
    public void A_hosts_tab_without_a_usable_host_is_a_problem()
    {
        using var tree = ConfTree.Minimal(hosts: "# no host yet\n").WithDirectories();

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Equal($"{tree.HostsTab}: lists no usable host, so lonc would serve nothing; add a line id:domain:role:hostname:ip for every host lonnet talks to",
            Assert.Single(Problems(output)));
    }

    [Fact]
    public void Running_as_root_is_a_warning()
    {
        using var tree = ConfTree.Minimal().WithDirectories();

        var (exit, output, _) = Check(tree.Dir, "root");

        Assert.Equal(0, exit);
        Assert.Contains("Warnings:\n  --user root: lonc would run as root;", output);
    }

    [Fact]
    public void A_path_that_is_a_file_where_a_directory_belongs_is_a_problem()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        Directory.Delete(tree.PathOf("sockets/delayed"));
        File.WriteAllText(tree.PathOf("sockets/delayed"), "");

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Equal($"{tree.PathOf("sockets/delayed")}: is not a directory; lonc needs a directory here: move the file away and create the directory",
            Assert.Single(Problems(output)));
    }

    [Fact]
    public void Directories_and_files_the_account_cannot_use_are_judged_for_that_account_not_for_the_caller()
    {
        // "nobody" owns nothing here: the tree belongs to whoever runs the tests, and the checks must see
        // that nobody could neither write the directories nor create lon-status nor read a 0600 hosts.tab.
        using var tree = ConfTree.Minimal().WithDirectories();
        Directory.Delete(tree.PathOf("html"));
        Directory.CreateDirectory(tree.PathOf("html"));
        File.SetUnixFileMode(tree.PathOf("html"), (UnixFileMode)0x1ED);
        File.SetUnixFileMode(tree.HostsTab, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var conf in new[] { tree.ApacheConf, tree.SiteConf })
            File.SetUnixFileMode(conf, (UnixFileMode)0x1A4);
        foreach (var dir in new[] { "daemons/logs", "sockets", "sockets/delayed" })
            File.SetUnixFileMode(tree.PathOf(dir), (UnixFileMode)0x1ED);
        File.SetUnixFileMode(tree.Dir, (UnixFileMode)0x1ED);

        var (exit, output, _) = Check(tree.Dir, "nobody");

        Assert.Equal(1, exit);
        var problems = Problems(output);
        Assert.Contains(problems, p => p.StartsWith($"{tree.PathOf("daemons/logs")}: not writable by nobody (owner {Me}, mode 0755); lonc keeps lonc.log, lonc.pid, lonnet.perm.log here: chown nobody {tree.PathOf("daemons/logs")}", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{tree.PathOf("sockets")}: not writable by nobody", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{tree.PathOf("sockets/delayed")}: not writable by nobody", StringComparison.Ordinal));
        Assert.Contains($"{tree.PathOf("html/lon-status")}: does not exist and nobody cannot create it in {tree.PathOf("html")} (owner {Me}, mode 0755); lonc keeps loncstatus.txt, written on USR1 there: mkdir {tree.PathOf("html/lon-status")} && chown nobody {tree.PathOf("html/lon-status")}", problems);
        Assert.Contains($"{tree.HostsTab}: not readable by nobody (owner {Me}, mode 0600); lonc reads it at every start: chmod a+r {tree.HostsTab}", problems);
        Assert.Equal(5, problems.Length);
    }

    [Fact]
    public void A_directory_above_that_the_account_cannot_pass_is_named_once()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        File.SetUnixFileMode(tree.Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exit, output, _) = Check(tree.Dir, "nobody");

        Assert.Equal(1, exit);
        Assert.Equal($"{tree.Dir}: nobody cannot pass through this directory (owner {Me}, mode 0700), so nothing lonc needs below it is within reach: chmod o+x {tree.Dir}",
            Assert.Single(Problems(output)));
    }

    [Fact]
    public void An_account_that_does_not_exist_is_a_problem()
    {
        using var tree = ConfTree.Minimal().WithDirectories();

        var (exit, output, _) = Check(tree.Dir, "no-such-lonc-user");

        Assert.Equal(1, exit);
        Assert.Contains("checked for user no-such-lonc-user, which does not exist", output);
        Assert.Equal("user no-such-lonc-user: no such account on this machine; create it (adduser --system no-such-lonc-user) or name the account lonc runs as with --user",
            Assert.Single(Problems(output)));
    }

    [Fact]
    public void A_broken_configuration_lists_every_problem_with_file_and_line_and_exits_1()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        File.AppendAllText(tree.SiteConf, "PerlSetVar londPort 56x3\nPerlSetVar loncInitTimeout 0\n");
        File.AppendAllText(tree.HostsTab, "bad/id:d:r:h:192.0.2.1\nhere:msu:access:h:192.0.2.2\n");
        var siteLines = File.ReadAllLines(tree.SiteConf).Length;
        var tabLines = File.ReadAllLines(tree.HostsTab).Length;

        var (exit, output, errors) = Check(tree.Dir);

        Assert.Equal(1, exit);
        var problems = output[output.IndexOf("Problems (4):", StringComparison.Ordinal)..];
        Assert.Contains($"{tree.SiteConf}:{siteLines - 1}: londPort \"56x3\" is not a number", problems);
        Assert.Contains($"{tree.SiteConf}:{siteLines}: loncInitTimeout 0 is out of range", problems);
        Assert.Contains($"{tree.HostsTab}:{tabLines - 1}: host id \"bad/id\" contains '/'", problems);
        Assert.Contains($"{tree.HostsTab}:{tabLines}: duplicate host id here", problems);
        Assert.Matches(@"londPort += \? +\(missing or invalid, see problems\)", output);
        Assert.Contains("1 host", output);  // the good host is still listed
        Assert.Equal("lonc: 4 problems in the configuration (see above)\n", errors);
    }

    [Fact]
    public void A_lonHostID_missing_from_hosts_tab_is_a_warning_only()
    {
        using var tree = ConfTree.Minimal(hosts: "other:d:access:o:127.0.0.2\n").WithDirectories();

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(0, exit);
        Assert.Contains("Warnings:\n  lonHostID here is not in hosts.tab", output);
        Assert.DoesNotContain("this server (lonHostID)", output);
    }

    [Fact]
    public void An_unreadable_hosts_tab_is_a_problem()
    {
        using var tree = ConfTree.Minimal().WithDirectories();
        File.Delete(tree.HostsTab);

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Contains($"  {tree.HostsTab}: cannot read: no such file", output);
    }

    [Fact]
    public void Hosts_tab_is_still_checked_when_another_setting_is_broken()
    {
        using var tree = ConfTree.Minimal("PerlSetVar londPort x\n", hosts: "here:d:r:h:1.2.3\n").WithDirectories();

        var (exit, output, _) = Check(tree.Dir);

        Assert.Equal(1, exit);
        Assert.Contains($"{tree.SiteConf}:3: londPort", output);
        Assert.Contains($"{tree.HostsTab}:1: host here: bad IP address", output);
    }

    [Fact]
    public void A_missing_configuration_directory_is_one_problem()
    {
        using var tree = new ConfTree();
        var dir = tree.PathOf("nowhere");

        var (exit, output, _) = Check(dir);

        Assert.Equal(1, exit);
        Assert.Contains($"Problems (1):\n  {dir}: no such directory", output);
    }
}
