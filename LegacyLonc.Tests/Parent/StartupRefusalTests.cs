using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// Start-up refusals are told in lonc's own words, one line each, on stderr and in lonc.log when it can be written,
/// and exit 78 (EX_CONFIG); start-up refuses exactly what <c>--check-config</c> calls a problem. A detached start
/// reports the daemon's refusal and exits with it.
/// </summary>
public class StartupRefusalTests
{
    /// <summary>A .NET resource key as UseSystemResourceKeys leaves it in exception messages (IO_PathNotFound_Path, Arg_…).</summary>
    private static readonly Regex ResourceKey = new(@"\b[A-Z][A-Za-z]*_[A-Z][A-Za-z]*\b");

    /// <summary>Starts the parent in the foreground and waits for its refusal: exit 78, no pid file.</summary>
    private static LoncProcess StartRefused(TestSandbox sandbox)
    {
        var p = sandbox.StartParent();
        Assert.True(p.WaitForExit(ParentHarness.Patience), "lonc exits");
        Assert.Equal(78, p.ExitCode);
        Assert.False(File.Exists(sandbox.Builder.PidFile), "no pid file");
        return p;
    }

    [Fact]
    public void A_missing_log_directory_is_refused_in_one_line_naming_the_path_and_the_fix()
    {
        using var sandbox = new TestSandbox(1);
        Directory.Delete(sandbox.Builder.LogDir, recursive: true);

        using var p = StartRefused(sandbox);

        var dir = sandbox.Builder.LogDir;
        Assert.Equal($"lonc: {dir}: does not exist; create it: mkdir -p {dir} && chown {Environment.UserName} {dir}\n", p.StdErr);
        Assert.DoesNotMatch(ResourceKey, p.StdErr);
    }

    [Fact]
    public void A_detached_start_whose_daemon_refuses_exits_78_with_the_daemons_one_line()
    {
        using var sandbox = new TestSandbox(1);
        // Only the daemon copy opens lonc_errors (for its stderr, once detached): a directory in the way stops it.
        var errors = Path.Combine(sandbox.Builder.LogDir, "lonc_errors");
        Directory.CreateDirectory(errors);
        var outFile = Path.Combine(sandbox.Builder.Root, "start.out");

        using var original = sandbox.Own(LoncProcess.Start("/bin/sh", "-c",
            $"exec '{TestBinaries.Lonc}' --conf-dir '{sandbox.ConfDir}' --user '{Environment.UserName}' >'{outFile}' 2>&1"));

        Assert.True(original.WaitForExit(ParentHarness.Patience), "lonc exits");
        var output = File.ReadAllText(outFile);
        Assert.Equal(78, original.ExitCode);
        // One refusal, one line: the daemon's; the launcher passes its status on without repeating it.
        Assert.Equal($"lonc: cannot open {errors}: is a directory\n", output);
        Assert.DoesNotMatch(ResourceKey, output);
        // Neither the launcher, which took the lock only to check it, nor the refusing daemon leaves a pid file.
        Assert.False(File.Exists(sandbox.Builder.PidFile));
    }

    [Fact]
    public void A_missing_delayed_directory_is_refused_as_check_config_reports_it()
    {
        using var sandbox = new TestSandbox(1);
        Directory.Delete(sandbox.Builder.DelayedDir);
        var dir = sandbox.Builder.DelayedDir;
        var problem = $"{dir}: does not exist; create it: mkdir -p {dir} && chown {Environment.UserName} {dir}";
        var (checkExit, checkOut, _) = ExternalProgram.Run(TestBinaries.Lonc, new[] { "--check-config", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName });
        Assert.Equal(1, checkExit);
        Assert.Contains($"Problems (1):\n  {problem}\n", checkOut);

        using var p = StartRefused(sandbox);

        Assert.Equal($"lonc: {problem}\n", p.StdErr);
        Assert.Contains($"<font color=red>CRITICAL: {problem}</font>", sandbox.ReadLog());
    }

    [Fact]
    public void A_hosts_tab_without_a_usable_host_is_refused_in_one_line()
    {
        using var sandbox = new TestSandbox(1);
        var hostsTab = Path.Combine(sandbox.Builder.TabDir, "hosts.tab");
        File.WriteAllText(hostsTab, "# nothing here yet\n");

        using var p = StartRefused(sandbox);

        Assert.Equal($"lonc: {hostsTab}: lists no usable host, so lonc would serve nothing; add a line id:domain:role:hostname:ip for every host lonnet talks to\n", p.StdErr);
    }

    [Theory]
    [InlineData(0x1FD, "its group")]              // 0775
    [InlineData(0x1FF, "its group and every user")]  // 0777
    public void A_spool_others_can_write_is_refused_naming_owner_mode_and_the_chmod(int mode, string writers)
    {
        using var sandbox = new TestSandbox(1);
        var dir = sandbox.Builder.DelayedDir;
        File.SetUnixFileMode(dir, (UnixFileMode)mode);

        using var p = StartRefused(sandbox);

        Assert.Equal($"lonc: {dir}: writable by {writers} (owner {Environment.UserName}, mode 0{Convert.ToString(mode, 8)}): another user could replace or plant what lonc keeps here (delayed messages, removed once delivered); chmod go-w {dir}\n", p.StdErr);
    }

    [Fact]
    public void A_log_directory_owned_by_another_user_is_refused_naming_the_chown()
    {
        using var sandbox = new TestSandbox(1);
        var dir = sandbox.Builder.LogDir;
        var nobody = LegacyLonc.Posix.UnixAccount.Find("nobody")!;
        Assert.Equal(0, Mono.Unix.Native.Syscall.chown(dir, nobody.Uid, unchecked((uint)-1)));

        using var p = StartRefused(sandbox);

        Assert.Contains($"lonc: {dir}: owned by nobody, not by {Environment.UserName} or root (owner nobody, mode 0755): another user could replace or plant what lonc keeps here (lonc.log, lonc.pid, lonnet.perm.log); chown {Environment.UserName} {dir}\n", p.StdErr);
    }

    [Fact]
    public void A_configuration_error_reaches_lonc_log_as_well_as_stderr()
    {
        using var sandbox = new TestSandbox(1, new Dictionary<string, string> { ["loncRequestTimeout"] = "soon" });
        var conf = Path.Combine(sandbox.ConfDir, "loncapa.conf");
        var line = Array.FindIndex(File.ReadAllLines(conf), l => l.Contains("loncRequestTimeout")) + 1;
        var problem = $"{conf}:{line}: loncRequestTimeout \"soon\" is not a number (expected a whole number from 1 to 86400)";

        using var p = StartRefused(sandbox);

        Assert.Equal($"lonc: {problem}\n", p.StdErr);
        Assert.Contains($"<font color=red>CRITICAL: {problem}</font>", sandbox.ReadLog());
    }

    [Fact]
    public void A_missing_conf_dir_is_one_line()
    {
        using var sandbox = new TestSandbox(1);
        var missing = Path.Combine(sandbox.Builder.Root, "no-conf");

        using var p = sandbox.Own(LoncProcess.Start(TestBinaries.Lonc, "--conf-dir", missing, "--user", Environment.UserName, "--foreground"));

        Assert.True(p.WaitForExit(ParentHarness.Patience), "lonc exits");
        Assert.Equal(78, p.ExitCode);
        Assert.Equal($"lonc: {missing}: no such directory; --conf-dir names the directory that holds loncapa.conf\n", p.StdErr);
    }

    [Fact]
    public void Several_configuration_problems_are_one_line_each_every_line_with_the_lonc_prefix()
    {
        using var sandbox = new TestSandbox(1, new Dictionary<string, string> { ["loncInitTimeout"] = "x", ["loncPongDelay"] = "y" });
        File.Delete(Path.Combine(sandbox.ConfDir, "loncapa_apache.conf"));

        using var p = StartRefused(sandbox);

        var lines = p.StdErr.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("lonc: ", l));
        Assert.Equal($"lonc: {Path.Combine(sandbox.ConfDir, "loncapa_apache.conf")}: cannot read: no such file", lines[0]);
    }
}
