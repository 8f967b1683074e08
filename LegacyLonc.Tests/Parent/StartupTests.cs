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
        Assert.Equal(1, second.ExitCode);
        var refusal = $"already running (pid {h.Pid} in {h.Sandbox.Builder.PidFile})";
        Assert.Contains($"lonc: {refusal}", second.StdErr);
        Assert.Contains($"<font color=red>CRITICAL: {refusal}</font>", h.Log);
        Assert.False(h.Parent!.HasExited);
        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
        Assert.True(h.Serves("h1"));
    }

    [Fact]
    public void The_wrong_user_is_refused_and_logged()
    {
        using var sandbox = new TestSandbox(1);
        var other = Environment.UserName == "root" ? "nobody" : "root";

        using var p = sandbox.Own(LoncProcess.Start(TestBinaries.Lonc,
            "--conf-dir", sandbox.ConfDir, "--user", other, "--foreground"));

        Assert.True(p.WaitForExit(ParentHarness.Patience));
        Assert.Equal(1, p.ExitCode);
        Assert.Contains($"User ID mismatch.  lonc must be run as user {other}.", p.StdErr);
        Assert.Contains($"<font color=red>CRITICAL: User ID mismatch.  lonc must be run as user {other}.</font>", sandbox.ReadLog());
        Assert.False(File.Exists(sandbox.Builder.PidFile));
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
    public void Without_foreground_a_copy_in_a_new_session_runs_and_the_original_exits_0()
    {
        using var h = new ParentHarness(2);
        var outFile = Path.Combine(h.Sandbox.Builder.Root, "start.out");
        // Through a shell with the output in files: the daemon keeps stdout/stderr, as 1.53 did.
        using var original = h.Sandbox.Own(LoncProcess.Start("/bin/sh", "-c",
            $"exec '{TestBinaries.Lonc}' --conf-dir '{h.Sandbox.ConfDir}' --user '{Environment.UserName}' >'{outFile}' 2>&1"));

        Assert.True(original.WaitForExit(ParentHarness.Patience));
        Assert.Equal(0, original.ExitCode);

        // Exit 0 means running: the daemon's pid file is there the moment the original has returned.
        var pidFile = new LegacyLonc.Parent.PidFile(h.Sandbox.Builder.PidFile);
        Assert.True(pidFile.LivePid() is not null, "the daemon's pid file\n" + h.Log + File.ReadAllText(outFile));
        var daemon = pidFile.LivePid()!.Value;
        using var cleanup = h.Sandbox.Own(new Reaper(daemon));

        Assert.NotEqual(original.Pid, daemon);
        Assert.Equal(daemon, ProcessTree.Stat(daemon)!.Value.Session);
        h.WaitServing(h.Hosts);
        Assert.Equal(2, ProcessTree.ChildrenOf(daemon).Count);
        Assert.Equal(1, h.Count("---------- Starting ----------"));

        Assert.Equal(0, Syscall.kill(daemon, Signum.SIGTERM));
        Eventually.Assert(() => !ProcessTree.IsRunning(daemon), ParentHarness.Patience, "the daemon stops", h.Detail);
        Eventually.Assert(() => !File.Exists(h.Sandbox.Builder.PidFile), ParentHarness.Patience, "pid file removed", h.Detail);
    }

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
