using System.Security.Cryptography;
using LegacyLonc.Tests.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Install;

/// <summary>
/// scripts/install on a sandbox LON-CAPA tree: a lonDaemons holding a stand-in for the Perl lonc (a Perl
/// script that detaches, writes lonc.pid and removes it on TERM), lond emulators, the current user as the
/// lonc user. The "publish directory" holds the published native lonc and its native library (scripts/test
/// publishes them; under dotnet test alone, a wrapper that execs the JIT build and a stand-in library), and what
/// must never be installed (.pdb, .xml, the testbed).
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private static readonly string Me = Environment.UserName;
    private readonly TestSandbox _sandbox = new(2);
    private readonly string _publish;
    private readonly List<string> _libraries;
    private readonly HashSet<int> _seen = new();

    public InstallScriptTests()
    {
        _publish = Path.Combine(_sandbox.Builder.Root, "publish");
        Directory.CreateDirectory(Path.Combine(_publish, "testbed"));
        if (TestBinaries.NativeLonc is { } native)
        {
            // The real publish: the native lonc and the native library beside it.
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(native)!).Where(f => f == native || f.EndsWith(".so", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(_publish, Path.GetFileName(file)));
        }
        else
        {
            // Without a native publish (dotnet test alone): a stand-in executable that runs the JIT build, and a library.
            File.WriteAllText(Path.Combine(_publish, "lonc"), $"#!/bin/sh\nexec '{TestBinaries.Lonc}' \"$@\"\n");
            File.SetUnixFileMode(Path.Combine(_publish, "lonc"), (UnixFileMode)0x1ED);
            File.WriteAllText(Path.Combine(_publish, "libnative-helper.so"), "not really a library\n");
        }
        _libraries = Directory.EnumerateFiles(_publish, "*.so").Select(Path.GetFileName).OfType<string>().ToList();
        Assert.NotEmpty(_libraries);
        foreach (var decoy in new[] { "lonc.pdb", "lonc.xml", "testbed/lonc-testbed" })
            File.WriteAllText(Path.Combine(_publish, decoy), "not for the server\n");

        File.WriteAllText(Daemon("lonc"), $$"""
            #!/usr/bin/perl
            # Stand-in for lonc 1.53: forks, the parent returns, the daemon writes its pid file and removes it on TERM.
            my $pidfile = '{{_sandbox.Builder.PidFile}}';
            exit 0 if fork();
            open(my $fh, '>', $pidfile) or die "$pidfile: $!";
            print $fh "$$\n";
            close $fh;
            $0 = 'lonc: Perl stand-in';
            $SIG{TERM} = sub { unlink $pidfile; exit 0 };
            sleep 1 while 1;

            """);
        File.SetUnixFileMode(Daemon("lonc"), (UnixFileMode)0x1ED);
    }

    private string Daemon(string name) => Path.Combine(_sandbox.Builder.DaemonsDir, name);

    /// <summary>The sandbox's man directory (scripts/install --man-dir); it does not exist until an install creates it.</summary>
    private string ManDir => Path.Combine(_sandbox.Builder.Root, "man", "man8");

    private string ManPage => Path.Combine(ManDir, "lonc.8");

    private (int Exit, string Out, string Err) Install(params string[] more)
    {
        var args = new List<string> { Repository.PathOf("scripts/install"), "--from", _publish, "--conf-dir", _sandbox.ConfDir, "--user", Me, "--man-dir", ManDir };
        args.AddRange(more);
        var result = ExternalProgram.Run("/bin/bash", args, timeoutSeconds: 120);
        if (RunningPid() is { } pid)
            _seen.Add(pid);
        return result;
    }

    /// <summary>The pid in lonc.pid while that process runs, else null.</summary>
    private int? RunningPid()
    {
        var pid = new LegacyLonc.Status.PidFile(_sandbox.Builder.PidFile).ReadPid();
        return pid is { } p && ProcessTree.IsRunning(p) ? p : null;
    }

    private int StartPerlLonc()
    {
        var (exit, _, err) = ExternalProgram.Run("/bin/sh", new[] { "-c", $"'{Daemon("lonc")}' </dev/null >/dev/null 2>&1" });
        Assert.True(exit == 0, err);
        int? pid = null;
        Eventually.Assert(() => (pid = RunningPid()) is not null, ParentHarness.Patience, "the Perl stand-in's pid file");
        _seen.Add(pid!.Value);
        return pid.Value;
    }

    private bool Serves(string host) => UnixClient.Request(_sandbox.SocketPath(host), "ping", 2000) == host;

    /// <summary>Every file below lonDaemons except the logs, with a digest of its content.</summary>
    private SortedDictionary<string, string> DaemonsTree() => new(
        Directory.EnumerateFiles(_sandbox.Builder.DaemonsDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(_sandbox.Builder.LogDir + "/", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(_sandbox.Builder.DaemonsDir, f),
                f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    private void AssertOursServes(string output)
    {
        var pid = RunningPid();
        Assert.True(pid is not null, "our lonc runs\n" + output);
        Assert.Contains($"install: LegacyLonc lonc is running (pid {pid})", output);
        Eventually.Assert(() => ProcessTree.ChildrenOf(pid.Value).Count == 2, ParentHarness.Patience, "a child per host", _sandbox.ReadLog);
        foreach (var host in new[] { "h1", "h2" })
            Eventually.Assert(() => Serves(host), ParentHarness.Patience, $"{host} answers through our lonc", _sandbox.ReadLog);
    }

    // The running lonc is recognised by its executable: a JIT build behind a wrapper script is not <lonDaemons>/lonc.
    [FactWhenNative]
    public void Install_run_rollback_and_install_again_leave_nothing_behind()
    {
        _sandbox.StartLond();
        var original = DaemonsTree();
        var perlLonc = File.ReadAllBytes(Daemon("lonc"));
        var perl = StartPerlLonc();

        var (exit, output, errors) = Install();

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: stopping lonc (pid {perl})", output);
        Assert.Contains($"install: kept the old lonc as {Daemon("lonc.perl")}", output);
        Assert.False(ProcessTree.IsRunning(perl), "the Perl lonc was stopped");
        AssertOursServes(output);
        var ours = RunningPid()!.Value;
        var children = ProcessTree.ChildrenOf(ours);
        Assert.Equal(perlLonc, File.ReadAllBytes(Daemon("lonc.perl")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_publish, "lonc")), File.ReadAllBytes(Daemon("lonc")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Daemon("lonc")));
        if (Syscall.getuid() == 0)
        {
            Assert.True(Syscall.stat(Daemon("lonc"), out var st) == 0 && st.st_uid == 0 && st.st_gid == 0, "lonc is root-owned");
        }
        Assert.Equal(_libraries.Concat(new[] { "lonc", "lonc.installed", "lonc.perl" }).Order(StringComparer.Ordinal), DaemonsTree().Keys);

        (exit, output, errors) = Install("--rollback");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: stopping lonc (pid {ours})", output);
        Assert.False(ProcessTree.IsRunning(ours), "our lonc was stopped");
        Assert.All(children, c => Assert.False(ProcessTree.IsRunning(c), $"child {c} of our lonc outlived it"));
        Assert.All(new[] { "h1", "h2" }, h => Assert.False(File.Exists(_sandbox.SocketPath(h)), $"socket {h} left behind"));
        Assert.Equal(original, DaemonsTree());
        perl = RunningPid() ?? 0;
        Assert.Contains($"install: the old lonc is running (pid {perl})", output);
        Assert.Contains("lonc: Perl stand-in", ProcessTree.CommandLine(perl));

        (exit, output, errors) = Install();

        Assert.True(exit == 0, output + errors);
        Assert.False(ProcessTree.IsRunning(perl), "the Perl lonc was stopped again");
        AssertOursServes(output);
        ours = RunningPid()!.Value;

        (exit, output, errors) = Install("--rollback", "--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains("install: not started (--no-start)", output);
        Assert.Null(RunningPid());
        Assert.False(ProcessTree.IsRunning(ours));
        Assert.Equal(original, DaemonsTree());
        Assert.All(_seen, pid => Assert.False(ProcessTree.IsRunning(pid), $"pid {pid} left running"));
    }

    [Fact]
    public void An_upgrade_keeps_the_first_backup_and_a_conflicting_backup_is_refused()
    {
        var perlLonc = File.ReadAllBytes(Daemon("lonc"));

        var (exit, output, errors) = Install("--no-start");
        Assert.True(exit == 0, output + errors);
        (exit, output, errors) = Install("--no-start");

        // The second run replaced our own lonc: the backup still holds the Perl one.
        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: keeping the existing backup {Daemon("lonc.perl")}", output);
        Assert.Equal(perlLonc, File.ReadAllBytes(Daemon("lonc.perl")));

        // Someone put another lonc in place by hand: it is neither ours nor the backup, so nothing is touched.
        File.WriteAllText(Daemon("lonc"), "#!/usr/bin/perl\n# another lonc\n");
        (exit, _, errors) = Install("--no-start");

        Assert.Equal(1, exit);
        Assert.Contains($"{Daemon("lonc.perl")} exists and differs from it", errors);
        Assert.Equal("#!/usr/bin/perl\n# another lonc\n", File.ReadAllText(Daemon("lonc")));
        Assert.Equal(perlLonc, File.ReadAllBytes(Daemon("lonc.perl")));
        Assert.Null(RunningPid());
    }

    [Fact]
    public void A_lonc_that_does_not_stop_within_the_timeout_is_left_alone_and_nothing_changes()
    {
        File.WriteAllText(Daemon("lonc"), File.ReadAllText(Daemon("lonc")).Replace("$SIG{TERM} = sub { unlink $pidfile; exit 0 };", "$SIG{TERM} = 'IGNORE';"));
        var stubborn = StartPerlLonc();
        var before = DaemonsTree();

        var (exit, _, errors) = Install("--stop-timeout", "1");

        Assert.Equal(1, exit);
        Assert.Contains($"install: lonc (pid {stubborn}) did not stop within 1 s; stop it by hand (kill -TERM {stubborn}), then run this again", errors);
        Assert.True(ProcessTree.IsRunning(stubborn));
        Assert.Equal(before, DaemonsTree());
    }

    [Fact]
    public void A_configuration_that_fails_the_check_is_refused_and_nothing_changes()
    {
        Directory.Delete(_sandbox.Builder.DelayedDir);
        var before = DaemonsTree();

        var (exit, _, errors) = Install("--no-start");

        Assert.Equal(1, exit);
        Assert.Contains($"{_sandbox.Builder.DelayedDir}: does not exist; create it: mkdir -p {_sandbox.Builder.DelayedDir}", errors);
        Assert.Contains("install: refusing to install: lonc --check-config found problems (above)", errors);
        Assert.Equal(before, DaemonsTree());
    }

    [Fact]
    public void Help_describes_every_option_and_rollback_without_a_backup_is_refused()
    {
        var (exit, output, _) = Install("--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--from DIR", "--conf-dir DIR", "--user NAME", "--man-dir DIR", "--no-start", "--rollback", "lonc.perl", "lonc --check-config", "lonc.8" })
            Assert.Contains(option, output);

        (exit, _, var errors) = Install("--rollback");

        Assert.Equal(1, exit);
        Assert.Contains($"install: nothing to roll back to: there is no {Daemon("lonc.perl")}", errors);
    }

    [FactWhenNative]
    public void An_upgrade_stops_the_running_lonc_even_after_its_file_was_replaced()
    {
        _sandbox.StartLond();
        var (exit, output, errors) = Install();
        Assert.True(exit == 0, output + errors);
        var running = RunningPid()!.Value;
        // The same bytes under the same name, a new inode: /proc/<pid>/exe now says "<lonDaemons>/lonc (deleted)".
        File.Copy(Daemon("lonc"), Daemon("lonc.copy"));
        File.Move(Daemon("lonc.copy"), Daemon("lonc"), overwrite: true);
        Assert.EndsWith(" (deleted)", new FileInfo($"/proc/{running}/exe").LinkTarget);

        (exit, output, errors) = Install();

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: stopping lonc (pid {running})", output);
        Assert.False(ProcessTree.IsRunning(running), "the replaced lonc was stopped");
        AssertOursServes(output);
    }

    [Fact]
    public void A_pid_file_naming_a_tail_of_lonc_log_is_not_signalled()
    {
        File.WriteAllText(_sandbox.Builder.LoncLog, "");
        // An administrator's `tail -f .../lonc.log`: its command line says lonc, its executable does not.
        var tail = _sandbox.Own(LoncProcess.Start("/usr/bin/tail", "-f", _sandbox.Builder.LoncLog));
        File.WriteAllText(_sandbox.Builder.PidFile, $"{tail.Pid}\n");

        var (exit, output, errors) = Install("--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: warning: {_sandbox.Builder.PidFile} names pid {tail.Pid}, which is not lonc (executable /usr/bin/tail", errors);
        Assert.DoesNotContain("stopping lonc", output);
        // Had it been signalled, the script would have waited for it to end before going on.
        Assert.True(ProcessTree.IsRunning(tail.Pid), "tail was signalled");
    }

    [FactWhenRoot]
    public void A_pid_file_naming_a_perl_lonc_of_another_user_is_not_signalled()
    {
        // A process that looks like the Perl lonc (perl, titled "lonc: ...") but runs as nobody, not as the lonc user.
        var impostor = _sandbox.Own(LoncProcess.Start("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
            "--clear-groups", "/usr/bin/perl", "-e", "$0 = 'lonc: impostor'; sleep 120"));
        Eventually.Assert(() => ProcessTree.CommandLine(impostor.Pid).Contains("lonc: impostor"), ParentHarness.Patience, "the impostor's title");
        File.WriteAllText(_sandbox.Builder.PidFile, $"{impostor.Pid}\n");

        var (exit, output, errors) = Install("--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"names pid {impostor.Pid}, which is not lonc", errors);
        Assert.True(ProcessTree.IsRunning(impostor.Pid), "the other user's process was signalled");
    }

    [Fact]
    public void A_manifest_naming_anything_but_lonc_and_libraries_in_lonDaemons_is_refused_and_nothing_is_deleted()
    {
        var victim = Path.Combine(_sandbox.Builder.Root, "victim");
        File.WriteAllText(victim, "root's file\n");
        var (exit, output, errors) = Install("--no-start");
        Assert.True(exit == 0, output + errors);
        var hash = new string('0', 64);
        foreach (var forged in new[] { "../victim", victim, "sub/libx.so", "..so", "man8/lonc.8", $"{ManDir}/../../man8/lonc.8", $"{ManDir}//lonc.8" })
        {
            File.WriteAllText(Daemon("lonc.installed"), File.ReadAllText(Daemon("lonc.installed")).Split('\n')[0] + $"\n{hash}  {forged}\n");
            var before = DaemonsTree();

            foreach (var mode in new[] { "--no-start", "--rollback" })
            {
                (exit, output, errors) = Install(mode);

                Assert.Equal(1, exit);
                Assert.Contains($"install: {Daemon("lonc.installed")} names '{forged}', which is not a file this script installs", errors);
                Assert.Equal("root's file\n", File.ReadAllText(victim));
                Assert.Equal(before, DaemonsTree());
            }
        }
    }

    [FactWhenRoot]
    public void A_lonDaemons_that_anyone_but_root_can_write_is_refused_with_the_fix()
    {
        var daemons = _sandbox.Builder.DaemonsDir;
        var above = _sandbox.Builder.Root;
        var before = DaemonsTree();
        var cases = new (string Path, string Setup, string Fix)[]
        {
            (daemons, "chmod 0775", $"fix: chmod go-w {daemons}"),
            (daemons, "chmod 0757", $"fix: chmod go-w {daemons}"),
            (daemons, "chown nobody", $"fix: chown root {daemons}"),
            // Above lonDaemons: a directory others can write without the sticky bit (/tmp has it, so the sandbox passes).
            (above, "chmod 0777", $"fix: chmod go-w {above}"),
            (above, "chown nobody", $"fix: chown root {above}"),
        };
        foreach (var (path, setup, fix) in cases)
        {
            Shell($"{setup} '{path}'");

            var (exit, _, errors) = Install("--no-start");

            Assert.Equal(1, exit);
            Assert.Contains($"install: {path} is ", errors);
            Assert.Contains(fix, errors);
            Assert.Equal(before, DaemonsTree());
            Shell($"chown root '{path}' && chmod 0755 '{path}'");
        }

        var (ok, output, okErrors) = Install("--no-start");
        Assert.True(ok == 0, output + okErrors);
    }

    [Fact]
    public void The_man_page_is_installed_recorded_and_removed_by_rollback()
    {
        var (exit, output, errors) = Install("--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: installed the man page {ManPage} (man lonc)", output);
        Assert.Equal(File.ReadAllBytes(Repository.PathOf("docs/lonc.8")), File.ReadAllBytes(ManPage));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(ManPage));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(ManDir));
        Assert.Contains($"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(ManPage))).ToLowerInvariant()}  {ManPage}\n",
            File.ReadAllText(Daemon("lonc.installed")));
        Assert.Equal(new[] { "lonc.8" }, Directory.EnumerateFileSystemEntries(ManDir).Select(Path.GetFileName));

        // An upgrade replaces it; one to another man directory moves it there.
        (exit, output, errors) = Install("--no-start");
        Assert.True(exit == 0, output + errors);
        var elsewhere = Path.Combine(_sandbox.Builder.Root, "share", "man8");
        (exit, output, errors) = Install("--no-start", "--man-dir", elsewhere);
        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: removed the man page {ManPage}", output);
        Assert.False(File.Exists(ManPage));
        Assert.True(File.Exists(Path.Combine(elsewhere, "lonc.8")));

        // Rollback removes the one it recorded, whatever --man-dir says now.
        (exit, output, errors) = Install("--rollback", "--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: removed the man page {Path.Combine(elsewhere, "lonc.8")}", output);
        Assert.False(File.Exists(Path.Combine(elsewhere, "lonc.8")));
        Assert.False(File.Exists(Daemon("lonc.installed")));
    }

    [Fact]
    public void A_man_page_the_script_did_not_install_or_that_was_changed_is_left_alone()
    {
        Directory.CreateDirectory(ManDir);
        File.WriteAllText(ManPage, "someone else's lonc page\n");

        var (exit, output, errors) = Install("--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: warning: {ManPage} exists and was not installed by this script; leaving it", errors);
        Assert.Equal("someone else's lonc page\n", File.ReadAllText(ManPage));
        Assert.DoesNotContain("lonc.8", File.ReadAllText(Daemon("lonc.installed")));
        (exit, output, errors) = Install("--rollback", "--no-start");
        Assert.True(exit == 0, output + errors);
        Assert.True(File.Exists(ManPage), "rollback removed a man page it had not installed");

        // Installed by the script, then edited by hand: rollback keeps the edit.
        File.Delete(ManPage);
        (exit, output, errors) = Install("--no-start");
        Assert.True(exit == 0, output + errors);
        File.AppendAllText(ManPage, "a local note\n");

        (exit, output, errors) = Install("--rollback", "--no-start");

        Assert.True(exit == 0, output + errors);
        Assert.Contains($"install: warning: {ManPage} is not the man page this script installed (changed or replaced); leaving it", errors);
        Assert.EndsWith("a local note\n", File.ReadAllText(ManPage));
    }

    [FactWhenRoot]
    public void A_man_directory_that_anyone_but_root_can_write_is_refused_and_nothing_changes()
    {
        var above = Path.GetDirectoryName(ManDir)!;
        Directory.CreateDirectory(above);
        Shell($"chmod 0777 '{above}'");
        var before = DaemonsTree();

        var (exit, _, errors) = Install("--no-start");

        Assert.Equal(1, exit);
        Assert.Contains($"install: {above} is writable by its group or others (mode 777)", errors);
        Assert.Contains($"fix: chmod go-w {above}", errors);
        Assert.Equal(before, DaemonsTree());
        Assert.False(Directory.Exists(ManDir));
    }

    private static void Shell(string command)
    {
        var (exit, output, errors) = ExternalProgram.Run("/bin/sh", new[] { "-c", command });
        Assert.True(exit == 0, command + "\n" + output + errors);
    }

    public void Dispose()
    {
        foreach (var pid in _seen.Where(ProcessTree.IsRunning))
        {
            foreach (var child in ProcessTree.ChildrenOf(pid))
                Syscall.kill(child, Signum.SIGKILL);
            Syscall.kill(pid, Signum.SIGKILL);
        }
        _sandbox.Dispose();
    }
}
