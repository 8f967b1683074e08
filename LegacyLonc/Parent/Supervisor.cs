using System.Runtime.InteropServices;
using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Parent;

/// <summary>
/// The lonc parent: start-up checks, one child process per host, waitpid reaping, restarts up to
/// <c>loncChildMaxAttempts</c>, and the signals INT/TERM (stop), HUP (restart), USR1 (retry + status).
/// </summary>
/// <remarks>
/// 1.53 blocked in wait() and ran its Perl signal handlers in between. Here the signal handlers only
/// queue (<see cref="SignalPipe"/>) and this loop does everything on the main thread: it wakes on a
/// signal (SIGCHLD included) or after <see cref="PollMs"/>, reaps with waitpid(-1, WNOHANG), then handles
/// the queued signals in arrival order.
/// </remarks>
public sealed partial class Supervisor
{
    // Linux signal numbers, as SignalPipe takes them.
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const int SigUsr1 = 10;
    private const int SigTerm = 15;
    private const int SigChld = 17;
    private static readonly int[] Caught = { SigUsr1, SigHup, SigInt, SigTerm, SigChld, SigQuit };

    private const int PollMs = 100;
    private const int EINTR = 4;
    /// <summary>All children together get this long to answer the hang-up <c>exit</c> (1.53: 10 s each, in turn).</summary>
    private static readonly TimeSpan HangupDeadline = TimeSpan.FromSeconds(3);
    /// <summary>How long children get to die of SIGINT before they are SIGKILLed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);
    /// <summary>How long a USR1 for a child still starting up is held back before it is given up.</summary>
    private static readonly TimeSpan StatusPatience = TimeSpan.FromSeconds(30);

    private readonly LoncOptions _options;
    private readonly LoncSettings _settings;
    private readonly LoncLog _log;
    private readonly SignalPipe _signals;
    private readonly PidFile _pidFile;
    private readonly ChildTable _children;
    private readonly string _confDir;
    // Hosts whose child could not even be spawned; handled like a child that died at once.
    private readonly Queue<string> _failedStarts = new();
    // USR1s owed to children that have no USR1 handler yet (pid → when to give up).
    private readonly Dictionary<int, DateTime> _statusRequests = new();

    private Supervisor(LoncOptions options, LoncSettings settings, LoncLog log, SignalPipe signals,
        PidFile pidFile, HostTable hosts)
    {
        _options = options;
        _settings = settings;
        _log = log;
        _signals = signals;
        _pidFile = pidFile;
        _children = new ChildTable(hosts.Hosts.Select(h => h.Id), settings.ChildMaxAttempts);
        _confDir = Path.GetFullPath(options.ConfDir);
    }

    /// <summary>Runs the parent; returns the process exit code (0 after a stop, 1 when start-up fails).</summary>
    public static int Run(LoncOptions options)
    {
        ChildGcSettings.Apply();
        using var signals = new SignalPipe();
        signals.Catch(Caught);
        // A HUP restart hands these over blocked (see Restart); from here on they are queued, so let them in.
        SignalMask.Unblock(Caught);
        var supervisor = StartUp(options, signals, Console.Error, out var exitCode);
        if (supervisor is null)
            return exitCode;
        exitCode = supervisor.Serve();
        supervisor._log.Flush();
        return exitCode;
    }

    /// <summary>The main loop; returns the exit code.</summary>
    private int Serve()
    {
        try
        {
            _log.Status("Forking ...");
            foreach (var host in _children.Hosts)
                StartChild(host);
            _log.Log("Done starting initial servers");

            while (true)
            {
                _signals.Wait(PollMs);
                var woke = ReapChildren(restart: true);
                if (_statusRequests.Count > 0)
                    SendStatusRequests();
                while (_signals.TryTake(out var signo))
                {
                    if (signo == SigChld)
                        continue;
                    if (!woke)
                        _log.Status("Woke up");
                    woke = true;
                    switch (signo)
                    {
                        case SigUsr1:
                            RetryAndReport();
                            break;
                        case SigHup:
                            return Restart();
                        case SigInt:
                        case SigTerm:
                            return Stop();
                        case SigQuit:
                            return Abend("QUIT");
                    }
                }
            }
        }
        catch (Exception e)
        {
            return Abend(e.Message);
        }
    }

    /// <summary>Starts a child for <paramref name="host"/> (1.53's make_new_child).</summary>
    private void StartChild(string host)
    {
        _log.Log($"Attempting to start child for server {host}");
        try
        {
            var argv = SelfImage.Current.Argv(ImageArguments.ForChild(host, _confDir, _options.User));
            _children.Started(host, ProcessSpawn.Start(argv, newSession: false));
        }
        catch (IOException e)
        {
            _log.Log(LogColor.Red, $"CRITICAL: Can't start child for server {host}: {e.Message}");
            _failedStarts.Enqueue(host);
        }
    }

    /// <summary>
    /// Reaps every dead child (waitpid(-1, WNOHANG) until none is left). With <paramref name="restart"/>,
    /// each death is logged and the host restarted or skipped. True when anything was reaped.
    /// </summary>
    private bool ReapChildren(bool restart)
    {
        var any = false;
        while (true)
        {
            var pid = Syscall.waitpid(-1, out var raw, WaitOptions.WNOHANG);
            if (pid < 0 && Marshal.GetLastPInvokeError() == EINTR)
                continue;
            if (pid <= 0)
                break;
            var host = _children.Exited(pid);
            if (host is null)
                continue;
            if (!any && restart)
                _log.Status("Woke up");
            any = true;
            // A child killed by a signal leaves its socket file behind; the next child for the host
            // would remove it anyway, but clients should see no socket rather than a dead one meanwhile.
            RemoveSocket(host);
            if (!restart)
                continue;
            _log.Log($"Child {pid} for server {host} ended with {new WaitStatus(raw)}");
            AfterDeath(host);
        }
        while (restart && _failedStarts.TryDequeue(out var failed))
        {
            any = true;
            AfterDeath(failed);
        }
        return any;
    }

    private void AfterDeath(string host)
    {
        if (_children.Decide(host) == AfterExit.Restart)
        {
            _log.Log(LogColor.Yellow,
                $"INFO: Trying to reconnect for {host} ({_children.Attempts(host)} of {_children.MaxAttempts} attempts)");
            StartChild(host);
        }
        else
        {
            // 1.53 collected skipped hosts as "host " and logged them with the trailing space.
            _log.Log(LogColor.Blue, $"WARNING: Skipped {host} ");
        }
    }

    /// <summary>USR1 (1.53's USRMAN): restart the hosts that gave up, zero every counter, then checkchildren.</summary>
    private void RetryAndReport()
    {
        _log.Log("USR1: Trying to establish connections again");
        foreach (var host in _children.ResetAttempts())
        {
            _log.Log(LogColor.Green, $"INFO: Restarting child for server: {host}");
            StartChild(host);
        }

        var path = _settings.StatusFilePath;
        try
        {
            StatusReport.Start(path, PerlTime.Localtime(PerlTime.Now()), Syscall.getpid());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Log(LogColor.Blue, $"WARNING: Can't write {path}: {e.Message}");
        }
        // Each child appends its own line to the status file when it gets USR1.
        foreach (var (_, pid) in _children.Live)
            _statusRequests[pid] = DateTime.UtcNow + StatusPatience;
        SendStatusRequests();
    }

    /// <summary>
    /// Sends the owed USR1s to the children that catch it by now. A child that is still starting has no
    /// handler yet and would die of the signal's default action; it gets its USR1 on a later turn.
    /// </summary>
    private void SendStatusRequests()
    {
        foreach (var (pid, giveUp) in _statusRequests.ToList())
        {
            if (_children.HostOf(pid) is null)
            {
                _statusRequests.Remove(pid);
            }
            else if (SignalDisposition.Catches(pid, SigUsr1))
            {
                _statusRequests.Remove(pid);
                if (Syscall.kill(pid, Signum.SIGUSR1) != 0)
                    _log.Log($"Child {pid} is dead");
            }
            else if (DateTime.UtcNow > giveUp)
            {
                _statusRequests.Remove(pid);
                _log.Log($"Child {pid} did not respond");
            }
        }
    }

    /// <summary>INT/TERM (1.53's HUNTSMAN).</summary>
    private int Stop()
    {
        HangUp();
        _pidFile.Remove();
        _log.Log(LogColor.Red, "CRITICAL: Shutting down");
        return 0;
    }

    /// <summary>HUP (1.53's HUPSMAN): hang up, then run this program again in this process.</summary>
    /// <remarks>
    /// 1.53 exec'ed from inside its HUP handler, so the new image started with HUP blocked and every
    /// later HUP was ignored (a bug its POD lists). Here the exec happens in the main loop with the
    /// caught signals blocked on purpose: whatever arrives while the new image starts stays pending
    /// instead of killing it (default action), and the new image unblocks them once it has its handlers.
    /// </remarks>
    private int Restart()
    {
        HangUp();
        _log.Log(LogColor.Red, "CRITICAL: Restarting");
        _pidFile.Remove();
        SignalMask.Block(Caught);
        // Queued USR1/HUP are absorbed by the restart (every host starts afresh); a stop is not.
        var stop = false;
        while (_signals.TryTake(out var signo))
            stop |= signo is SigInt or SigTerm or SigQuit;
        if (stop)
        {
            _log.Log(LogColor.Red, "CRITICAL: Shutting down");
            return 0;
        }
        _log.Flush();
        var error = ProcessExec.Replace(SelfImage.Current.Argv(ImageArguments.ForRestart(_options)));
        SignalMask.Unblock(Caught);
        _log.Log(LogColor.Red, $"CRITICAL: Can't restart lonc: {error.Message}");
        Console.Error.WriteLine($"lonc: {error.Message}");
        return 1;
    }

    /// <summary>1.53's catchexception for the parent: log, take the children down with us, exit 1.</summary>
    private int Abend(string what)
    {
        _log.Log(LogColor.Red,
            $"CRITICAL: ABNORMAL EXIT. Child {Syscall.getpid()} for server [{_log.Conserver}] died through \"{what}\" with parameter ");
        try
        {
            HangUp();
        }
        catch (Exception e)
        {
            _log.Log(LogColor.Red, $"CRITICAL: Hang-up failed ({e.Message}), killing the children");
            foreach (var (_, pid) in _children.Live)
                Syscall.kill(pid, Signum.SIGKILL);
        }
        _pidFile.Remove();
        return 1;
    }

    /// <summary>
    /// 1.53's hangup(): ask every child to close (<c>exit</c> through its socket; all at once here),
    /// log <c>Closing &lt;host&gt;: &lt;reply&gt;</c>, SIGINT it; then reap them all, SIGKILLing any
    /// that outstay <see cref="StopGrace"/>, so no child outlives the parent.
    /// </summary>
    private void HangUp()
    {
        var live = _children.Live;
        var remote = live.Where(c => c.Host != _settings.LonHostId).Select(c => _settings.SocketPath(c.Host)).ToList();
        var replies = new Queue<string>(ChildHangup.Ask(remote, "exit", HangupDeadline));
        foreach (var (host, pid) in live)
        {
            _log.Status($"Closing {host}");
            // lonc's own subreply() answered for its own host without asking anybody.
            var reply = host == _settings.LonHostId ? "self_reply" : replies.Dequeue();
            _log.Log($"Closing {host}: {reply}");
            _log.Status($"Kill PID {pid} for {host}");
            Syscall.kill(pid, Signum.SIGINT);
        }

        if (!WaitForChildren(StopGrace))
        {
            foreach (var (host, pid) in _children.Live)
            {
                _log.Log(LogColor.Red, $"CRITICAL: Child {pid} for server {host} did not stop, killing it");
                Syscall.kill(pid, Signum.SIGKILL);
            }
            WaitForChildren(KillGrace);
        }
        _failedStarts.Clear();
        _statusRequests.Clear();
    }

    private bool WaitForChildren(TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        while (true)
        {
            ReapChildren(restart: false);
            if (_children.LiveCount == 0)
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(10);
        }
    }

    private void RemoveSocket(string host)
    {
        try
        {
            File.Delete(_settings.SocketPath(host));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
    }
}
