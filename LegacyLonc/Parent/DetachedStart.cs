using LegacyLonc.Cli;
using LegacyLonc.Posix;
using LegacyLonc.Status;

namespace LegacyLonc.Parent;

/// <summary>
/// The end of daemonizing, in the process started from the terminal (or by loncron): it has spawned the
/// daemon copy in a new session and now waits until that copy has written its pid into <c>lonc.pid</c>,
/// so that exit status 0 means "running". A copy that dies first has said why on the same stderr (it lets go of
/// the launcher's streams only after writing its pid file, see <c>Posix.StandardStreams</c>).
/// </summary>
/// <remarks>
/// 1.53 forked and exited 0 at once, so a daemon that died a moment later (no log directory, pid file not
/// writable) looked started. The wait is bounded; a copy that neither finishes its start-up nor dies within
/// <see cref="Patience"/> is stopped, so that exit status 1 always means "not running".
/// </remarks>
public static class DetachedStart
{
    /// <summary>How long the daemon copy gets to write its pid file (it does so before it starts any child).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private const int PollMs = 20;

    /// <summary>
    /// Null once <paramref name="daemon"/> has written its pid into <paramref name="pidFile"/>; otherwise why it did
    /// not, with the exit status the launcher passes on (the daemon's own when it exited, else a failure).
    /// </summary>
    public static string? Await(int daemon, PidFile pidFile, TimeSpan patience, out int exitStatus)
    {
        exitStatus = ExitStatus.Failure;
        var deadline = MonotonicClock.After(patience);
        while (true)
        {
            if (Ended(daemon, out var code) is { } status)
            {
                // A refusal (78) stays a refusal for whoever started lonc; anything else is a failure.
                if (code == ExitStatus.Config)
                    exitStatus = ExitStatus.Config;
                return $"the daemon (pid {daemon}) ended with {status} before it wrote {pidFile.Path}";
            }
            if (pidFile.ReadPid() == daemon)
                return null;
            if (MonotonicClock.Passed(deadline))
                break;
            Thread.Sleep(PollMs);
        }

        // TERM first (its ordinary stop), then KILL; a process the kernel cannot even kill is left alone.
        foreach (var signal in new[] { Signals.Term, Signals.Kill })
        {
            Signals.Send(daemon, signal);
            var stopBy = MonotonicClock.After(StopGrace);
            while (Ended(daemon, out _) is null && !MonotonicClock.Passed(stopBy))
                Thread.Sleep(PollMs);
            if (!Signals.ProcessExists(daemon))
                break;
        }
        return $"the daemon (pid {daemon}) did not write {pidFile.Path} within {patience.TotalSeconds:0} s and was stopped";
    }

    /// <summary>The daemon's wait status once it has ended (reaping it), with its exit code (-1 if it did not exit); else null.</summary>
    private static string? Ended(int pid, out int exitCode)
    {
        exitCode = -1;
        var r = ProcessWait.Poll(pid, out var status, out _);
        if (r == pid)
        {
            if (status.Exited)
                exitCode = status.ExitCode;
            return status.ToString();
        }
        // ECHILD: someone else reaped it, so it is gone too.
        return r < 0 ? "an unknown status" : null;
    }
}
