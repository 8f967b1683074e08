using LegacyLonc.Parent;
using LegacyLonc.Posix;
using LegacyLonc.Status;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// The wait at the end of daemonizing, with stand-ins for the daemon copy (each reaped by its own pid:
/// never waitpid(-1) in the test host). The production patience is <see cref="DetachedStart.Patience"/>;
/// these use a short one.
/// </summary>
public sealed class DetachedStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-detach-").FullName;
    private readonly List<int> _spawned = new();
    private PidFile PidFile => new(Path.Combine(_dir, "lonc.pid"));

    private int Spawn(string script)
    {
        var pid = ProcessSpawn.Start(new[] { "/bin/sh", "-c", script }, newSession: true);
        _spawned.Add(pid);
        return pid;
    }

    [Fact]
    public void A_copy_that_writes_its_pid_file_is_a_success()
    {
        var daemon = Spawn($"echo $$ >'{PidFile.Path}'; exec sleep 60");

        Assert.Null(DetachedStart.Await(daemon, PidFile, TimeSpan.FromSeconds(30), out _));
        Assert.Equal(0, Syscall.kill(daemon, 0));
    }

    [Fact]
    public void A_copy_that_ends_first_is_a_failure_naming_its_exit_status()
    {
        var daemon = Spawn("exit 3");

        Assert.Equal($"the daemon (pid {daemon}) ended with exit status 3 before it wrote {PidFile.Path}",
            DetachedStart.Await(daemon, PidFile, TimeSpan.FromSeconds(30), out var exitStatus));
        Assert.Equal(1, exitStatus);
    }

    [Fact]
    public void A_copy_that_refused_with_78_makes_the_launcher_exit_78_too()
    {
        var daemon = Spawn("exit 78");

        Assert.NotNull(DetachedStart.Await(daemon, PidFile, TimeSpan.FromSeconds(30), out var exitStatus));
        Assert.Equal(78, exitStatus);
    }

    [Fact]
    public void A_pid_file_naming_another_process_does_not_count()
    {
        File.WriteAllText(PidFile.Path, "1\n");
        var daemon = Spawn("exit 1");

        Assert.StartsWith($"the daemon (pid {daemon}) ended with exit status 1", DetachedStart.Await(daemon, PidFile, TimeSpan.FromSeconds(30), out _));
    }

    [Fact]
    public void A_copy_that_neither_writes_nor_ends_within_the_patience_is_stopped()
    {
        var daemon = Spawn("exec sleep 60");

        Assert.Equal($"the daemon (pid {daemon}) did not write {PidFile.Path} within 1 s and was stopped",
            DetachedStart.Await(daemon, PidFile, TimeSpan.FromSeconds(1), out var exitStatus));
        Assert.Equal(1, exitStatus);
        // Reaped: no such process (not even a zombie) is left.
        Assert.Equal(-1, Syscall.kill(daemon, 0));
    }

    public void Dispose()
    {
        foreach (var pid in _spawned)
        {
            Syscall.kill(pid, Signum.SIGKILL);
            // Blocks only for a process just killed; one Await reaped already returns ECHILD at once.
            Syscall.waitpid(pid, out _, 0);
        }
        Directory.Delete(_dir, recursive: true);
    }
}
