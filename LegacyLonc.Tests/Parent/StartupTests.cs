using LegacyLonc.Posix;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>The start-up checks and daemonizing.</summary>
public class StartupTests
{
    [Fact]
    public void A_second_instance_is_refused_while_the_first_runs()
    {
        using var h = new ParentHarness(1);
        h.StartServing();

        using var second = h.Sandbox.StartParent();

        Assert.True(second.WaitForExit(ParentHarness.Patience));
        Assert.Equal(78, second.ExitCode);
        var refusal = $"already running (pid {h.Pid} in {h.Sandbox.Builder.PidFile})";
        Assert.Contains($"lonc: {refusal}", second.StdErr);
        Assert.Contains($"<font color=red>CRITICAL: {refusal}</font>", h.Log);
        Assert.False(h.Parent!.HasExited);
        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
        Assert.True(h.Serves("h1"));
    }

    [Fact]
    public void The_wrong_user_is_refused_in_one_line_before_any_file_is_written()
    {
        using var sandbox = new TestSandbox(1);
        var other = Environment.UserName == "root" ? "nobody" : "root";

        using var p = sandbox.Own(LoncProcess.Start(TestBinaries.Lonc,
            "--conf-dir", sandbox.ConfDir, "--user", other, "--foreground"));

        Assert.True(p.WaitForExit(ParentHarness.Patience));
        Assert.Equal(78, p.ExitCode);
        var line = Assert.Single(p.StdErr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"lonc: User ID mismatch.  lonc must be run as user {other} (", line);
        Assert.EndsWith("); nothing was started or written", line);
        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Builder.LogDir));
    }

    [Fact]
    public void A_child_run_by_hand_as_the_wrong_user_writes_nothing()
    {
        using var sandbox = new TestSandbox(1);
        File.WriteAllText(Path.Combine(sandbox.Builder.DelayedDir, "1100000000.1.1.h1"), "put:x\n");
        var other = Environment.UserName == "root" ? "nobody" : "root";

        using var p = sandbox.Own(LoncProcess.Start(TestBinaries.Lonc, "--child", "h1", "--conf-dir", sandbox.ConfDir, "--user", other));

        Assert.True(p.WaitForExit(ParentHarness.Patience));
        Assert.Equal(78, p.ExitCode);
        Assert.StartsWith($"lonc child h1: User ID mismatch.  lonc must be run as user {other} (", p.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Builder.LogDir));
        Assert.False(File.Exists(sandbox.SocketPath("h1")));
        Assert.Single(Directory.GetFiles(sandbox.Builder.DelayedDir));
    }

    [Fact]
    public void A_stale_pid_file_naming_a_live_unrelated_process_does_not_block_start_up()
    {
        using var h = new ParentHarness(1);
        // The test runner is alive and is no lonc: a pid reused after a crash or a reboot looks like this.
        File.WriteAllText(h.Sandbox.Builder.PidFile, $"{Environment.ProcessId}\n");

        h.StartServing();

        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
    }

    [Fact]
    public void A_stale_pid_file_naming_a_dead_process_is_ignored()
    {
        using var h = new ParentHarness(1);
        var dead = DeadPid();
        File.WriteAllText(h.Sandbox.Builder.PidFile, $"{dead}\n");

        h.StartServing();

        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
    }

    [Fact]
    public void Without_foreground_a_copy_in_a_new_session_runs_lets_go_of_the_launchers_pipe_and_the_original_exits_0()
    {
        using var h = new ParentHarness(2);
        var outFile = Path.Combine(h.Sandbox.Builder.Root, "start.out");
        // lonc ... | cat: the pipeline ends only when every process holding the pipe (the daemon and its children
        // inherited it from the launcher) has let go of it.
        using var original = h.Sandbox.Own(LoncProcess.Start("/bin/bash", "-c",
            $"set -o pipefail; '{TestBinaries.Lonc}' --conf-dir '{h.Sandbox.ConfDir}' --user '{Environment.UserName}' 2>&1 </dev/null | cat >'{outFile}'"));

        var pidFile = new LegacyLonc.Status.PidFile(h.Sandbox.Builder.PidFile);
        // Whatever happens below, a daemon that got as far as its pid file is stopped with the test.
        Eventually.Assert(() => pidFile.ReadPid() is not null || original.HasExited, ParentHarness.Patience, "a pid file or the end of the launcher", h.Detail);
        if (pidFile.ReadPid() is { } started)
            h.Sandbox.Own(new Reaper(started));
        Assert.True(original.WaitForExit(ParentHarness.Patience), "lonc ... | cat ends: the daemon let go of the pipe\n" + h.Detail());
        Assert.Equal(0, original.ExitCode);
        Assert.Equal("", File.ReadAllText(outFile));

        // Exit 0 means running: the daemon's pid file is there the moment the original has returned.
        Assert.True(pidFile.LivePid() is not null, "the daemon's pid file\n" + h.Log);
        var daemon = pidFile.LivePid()!.Value;

        Assert.Equal(daemon, ProcessTree.Stat(daemon)!.Value.Session);
        h.WaitServing(h.Hosts);
        var children = ProcessTree.ChildrenOf(daemon);
        Assert.Equal(2, children.Count);
        Assert.Equal(1, h.Count("---------- Starting ----------"));
        var errors = Path.Combine(h.Sandbox.Builder.LogDir, "lonc_errors");
        foreach (var pid in children.Prepend(daemon))
        {
            Assert.Equal("/dev/null", Descriptor(pid, 0));
            Assert.Equal("/dev/null", Descriptor(pid, 1));
            Assert.Equal(errors, Descriptor(pid, 2));
        }

        Assert.Equal(0, Syscall.kill(daemon, Signum.SIGTERM));
        Eventually.Assert(() => !ProcessTree.IsRunning(daemon), ParentHarness.Patience, "the daemon stops", h.Detail);
        Eventually.Assert(() => !File.Exists(h.Sandbox.Builder.PidFile), ParentHarness.Patience, "pid file removed", h.Detail);
    }

    [Fact]
    public void In_the_foreground_stderr_stays_the_launchers()
    {
        using var h = new ParentHarness(1);
        h.StartServing();

        Assert.NotEqual(Path.Combine(h.Sandbox.Builder.LogDir, "lonc_errors"), Descriptor(h.Pid, 2));
        Assert.StartsWith("pipe:", Descriptor(h.Pid, 2));
        Assert.False(File.Exists(Path.Combine(h.Sandbox.Builder.LogDir, "lonc_errors")));
    }

    /// <summary>What descriptor <paramref name="fd"/> of <paramref name="pid"/> is open on (/proc/PID/fd).</summary>
    private static string Descriptor(int pid, int fd) => new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget ?? "";

    /// <summary>A pid that was just used by a process that has ended and been reaped.</summary>
    private static int DeadPid()
    {
        var pid = ProcessSpawn.Start(new[] { "/bin/true" }, newSession: false);
        Syscall.waitpid(pid, out _, 0);
        return pid;
    }

    /// <summary>SIGKILLs a detached daemon and its children if a test leaves them running.</summary>
    private sealed class Reaper(int pid) : IDisposable
    {
        public void Dispose()
        {
            if (!ProcessTree.IsRunning(pid))
                return;
            foreach (var c in ProcessTree.ChildrenOf(pid))
                Syscall.kill(c, Signum.SIGKILL);
            Syscall.kill(pid, Signum.SIGKILL);
        }
    }
}
