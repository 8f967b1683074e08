using LegacyLonc.Reports;
using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;
using LegacyLonc.Status;

namespace LegacyLonc.Parent;

/// <summary>
/// The lonc parent: start-up checks, one child process per host, waitpid reaping, restarts up to
/// <c>loncChildMaxAttempts</c> (or with backoff), and the signals INT/TERM (stop), HUP (restart),
/// USR1 (retry + status), USR2 (apply hosts.tab changes).
/// </summary>
/// <remarks>
/// 1.53 blocked in wait() and ran its Perl signal handlers in between. Here the signal handlers only
/// queue (<see cref="SignalPipe"/>) and this loop does everything on the main thread: it wakes on a
/// signal (SIGCHLD included), a child's report (<see cref="ChildReports"/>), a scheduled restart or after
/// <see cref="PollMs"/>; reaps with waitpid(-1, WNOHANG); takes the reports; starts the restarts that are
/// due; then handles the queued signals in arrival order, one at a time, so no two of them ever overlap.
/// </remarks>
public sealed partial class Supervisor
{
    private static readonly int[] Caught = { Signals.Usr1, Signals.Usr2, Signals.Hup, Signals.Int, Signals.Term, Signals.Chld, Signals.Quit };

    private const int PollMs = 100;
    /// <summary>All children together get this long to answer the hang-up <c>exit</c> (1.53: 10 s each, in turn).</summary>
    private static readonly TimeSpan HangupDeadline = TimeSpan.FromSeconds(3);
    /// <summary>How long children get to die of SIGINT before they are SIGKILLed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    private readonly LoncOptions _options;
    private readonly LoncLog _log;
    private readonly SignalPipe _signals;
    private readonly PidFile _pidFile;
    private readonly ChildTable _children;
    private readonly string _confDir;
    // Hosts whose child could not even be spawned; handled like a child that died at once.
    private readonly Queue<string> _failedStarts = new();
    private LoncSettings _settings;
    // The hosts.tab entries being served, in file order (a USR2 replaces it).
    private IReadOnlyList<HostEntry> _table;
    private ChildReports? _reports;

    private Supervisor(LoncOptions options, LoncSettings settings, LoncLog log, SignalPipe signals,
        PidFile pidFile, HostTable hosts)
    {
        _options = options;
        _settings = settings;
        _log = log;
        _signals = signals;
        _pidFile = pidFile;
        _table = hosts.Hosts;
        _children = new ChildTable(hosts.Hosts.Select(h => h.Id), settings.ChildMaxAttempts, RestartBackoff.From(settings), log);
        _confDir = Path.GetFullPath(options.ConfDir);
    }

    /// <summary>Runs the parent; returns the process exit code (0 after a stop, 1 when start-up fails).</summary>
    public static int Run(LoncOptions options)
    {
        ChildRuntimeSettings.Apply();
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
            _reports = new ChildReports();
            _log.Status("Forking ...");
            foreach (var host in _children.Hosts)
                StartChild(host);
            _log.Log("Done starting initial servers");
            PublishStatus();

            while (true)
            {
                WaitForWork();
                var woke = ReapChildren(restart: true);
                var reported = TakeReports();
                woke |= StartDueRestarts();
                woke |= KillOverdueRetirees();
                while (_signals.TryTake(out var signo))
                {
                    if (signo == Signals.Chld)
                        continue;
                    if (!woke)
                        _log.Status("Woke up");
                    woke = true;
                    switch (signo)
                    {
                        case Signals.Usr1:
                            RetryAndReport();
                            break;
                        case Signals.Usr2:
                            Reload();
                            break;
                        case Signals.Hup:
                            if (Restart() is { } exitCode)
                                return exitCode;
                            break;
                        case Signals.Int:
                        case Signals.Term:
                            return Stop();
                        case Signals.Quit:
                            return Abend("QUIT");
                    }
                }
                if (woke || reported)
                {
                    ShowCounts();
                    PublishStatus();
                }
            }
        }
        catch (Exception e)
        {
            // Nothing here should throw; if something does, its type says more than its text (which
            // UseSystemResourceKeys reduces to a resource key).
            return Abend($"{e.GetType().Name}: {SystemErrorText.Of(e)}");
        }
    }

    /// <summary>Sleeps until a signal or a report arrives, the next scheduled restart is due, or <see cref="PollMs"/> passed.</summary>
    private void WaitForWork()
    {
        var timeout = PollMs;
        if (_children.NextDeadline() is { } next)
            timeout = (int)Math.Clamp(Math.Ceiling(MonotonicClock.Until(next).TotalMilliseconds), 0, PollMs);
        if (_signals.Wait(0))
            return;
        _reports!.Wait((int)_signals.ReadEnd.Handle, timeout);
    }

    /// <summary>Starts a child for <paramref name="host"/> (1.53's make_new_child), or once its retiring child is gone.</summary>
    private void StartChild(string host)
    {
        // Two children on one socket path: the old one's exit would unlink the new one's socket.
        if (_children.IsRetiring(host))
        {
            _children.StartWhenFree(host, MonotonicClock.Now);
            return;
        }
        About(host).Log($"Attempting to start child for server {host}");
        try
        {
            var argv = SelfImage.Current.Argv(ImageArguments.ForChild(host, _confDir, _options.User));
            // The child runs on the settings and the host entry held here, not on the files as they are now.
            using var snapshot = new PayloadPipe(ConfigSnapshot.Serialize(_settings, _table.First(h => h.Id == host)));
            _children.Started(host, ProcessSpawn.Start(argv, false, _reports!.WriteEnd, snapshot.ReadEnd), MonotonicClock.Now);
        }
        catch (IOException e)
        {
            About(host).Critical($"Can't start child for server {host}: {SystemErrorText.Of(e)}");
            _failedStarts.Enqueue(host);
        }
    }

    /// <summary>
    /// Reaps every dead child (waitpid(-1, WNOHANG) until none is left). With <paramref name="restart"/>,
    /// each death is logged and the host restarted, backed off or skipped. True when anything was reaped.
    /// </summary>
    private bool ReapChildren(bool restart)
    {
        var any = false;
        while (true)
        {
            var pid = ProcessWait.Poll(-1, out var status, out _);
            if (pid <= 0)
                break;
            var host = _children.Exited(pid, out var retired);
            if (host is null)
                continue;
            if (!any && restart)
                _log.Status("Woke up");
            any = true;
            // A child killed by a signal leaves its socket file behind; the next child for the host
            // would remove it anyway, but clients should see no socket rather than a dead one meanwhile.
            // (No new child of the host can own the path yet: it waits for a retiring one, see StartChild.)
            RemoveSocket(host);
            if (!restart)
                continue;
            var ended = $"Child {pid} for server {host} ended with {status}";
            About(host).Log(ended);
            if (!retired)
            {
                // A child that failed says why before its fail sleep; one that did not (killed, crashed) is described by its end.
                if (_children.State(host) != HostState.SleepingAfterFailure)
                    _children.Failed(host, ended);
                AfterDeath(host);
            }
            else if (_children.TakeStartWhenFree(host))
                StartChild(host);
        }
        while (restart && _failedStarts.TryDequeue(out var failed))
        {
            any = true;
            if (_children.Contains(failed))
                AfterDeath(failed);
        }
        return any;
    }

    private void AfterDeath(string host)
    {
        var now = MonotonicClock.Now;
        switch (_children.Decide(host, now))
        {
            case AfterExit.Restart:
                About(host).Attention(
                    $"INFO: Trying to reconnect for {host} ({_children.Attempts(host)} of {_children.MaxAttempts} attempts)");
                StartChild(host);
                break;
            case AfterExit.BackOff:
                var failures = _children.Failures(host);
                About(host).Attention(
                    $"INFO: {host} backing off {_children.SecondsUntilRetry(host, now)} s after {failures} failure{(failures == 1 ? "" : "s")}");
                break;
            default:
                // 1.53 collected skipped hosts as "host " and logged them with the trailing space.
                About(host).Warning($"Skipped {host} ");
                break;
        }
    }

    /// <summary>Starts the backing-off hosts whose delay is over; true when there was any.</summary>
    private bool StartDueRestarts()
    {
        var due = _children.DueRestarts(MonotonicClock.Now);
        foreach (var host in due)
            StartChild(host);
        return due.Count > 0;
    }

    /// <summary>Takes the children's reports (<see cref="ParentChannel"/>); true when there was any.</summary>
    private bool TakeReports()
    {
        var malformed = new List<string>();
        var messages = _reports!.Take(malformed);
        var now = MonotonicClock.Now;
        foreach (var m in messages)
        {
            switch (m.Verb)
            {
                case ParentChannel.Online:
                    _children.Online(m.Host, m.Pid, now);
                    break;
                case ParentChannel.Sleeping:
                    _children.Sleeping(m.Host, m.Pid, now, m.SleepSeconds, m.Reason);
                    break;
                case ParentChannel.ResetRetries when _children.ResetRetries(m.Host, m.Pid):
                    About(m.Host).Info($"reset_retries: attempt counter of {m.Host} set to 0");
                    break;
            }
        }
        foreach (var line in malformed)
            _log.Warning($"Ignoring a malformed report from a child: {line}");
        return messages.Count > 0 || malformed.Count > 0;
    }

    /// <summary>SIGKILLs children that a reload asked to go and that outstayed <see cref="StopGrace"/>.</summary>
    private bool KillOverdueRetirees()
    {
        var overdue = _children.OverdueRetirees(MonotonicClock.Now);
        foreach (var (host, pid) in overdue)
        {
            About(host).Critical($"Child {pid} for server {host} did not stop, killing it");
            Signals.Send(pid, Signals.Kill);
        }
        return overdue.Count > 0;
    }

    /// <summary>USR1 (1.53's USRMAN): restart the hosts that are down, zero every counter, then the status report.</summary>
    /// <remarks>
    /// The report describes each host as this USR1 found it: a skipped or backing-off host reads
    /// <c>skipped after 5 attempts, restarting now</c>, so an administrator learns why it was down.
    /// </remarks>
    private void RetryAndReport()
    {
        _log.Log("USR1: Trying to establish connections again");
        var report = StatusLines();
        foreach (var host in _children.ResetAttempts(MonotonicClock.Now))
        {
            About(host).Info($"Restarting child for server: {host}");
            StartChild(host);
        }
        WriteStatusReport(report);
    }

    /// <summary>The parent's lines about <paramref name="host"/>, each kept as the host's last event for the status report.</summary>
    private HostLog About(string host) => new(_log, _children, host);

    /// <summary>The parent's title (and status) between events: <c>lonc: &lt;n&gt; serving, &lt;k&gt; down &lt;localtime&gt;</c>.</summary>
    private void ShowCounts()
    {
        var (serving, down) = _children.Counts();
        _log.Status($"{serving} serving, {down} down");
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
