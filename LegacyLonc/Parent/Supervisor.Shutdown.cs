using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>
/// How the parent ends: INT/TERM (stop), HUP (restart in place), an abnormal exit, and the hang-up of its children
/// that each of them starts with.
/// </summary>
public sealed partial class Supervisor
{
    /// <summary>INT/TERM (1.53's HUNTSMAN).</summary>
    private int Stop()
    {
        HangUp();
        WithdrawStatus();
        _pidFile.Remove();
        _log.Critical("Shutting down");
        return 0;
    }

    /// <summary>
    /// HUP (1.53's HUPSMAN): hang up, then run this program again in this process; returns the exit code when that
    /// fails, null when the files on disk have errors and this lonc keeps serving untouched.
    /// </summary>
    /// <remarks>
    /// 1.53 exec'ed from inside its HUP handler, so the new image started with HUP blocked and every
    /// later HUP was ignored (a bug its POD lists). Here the exec happens in the main loop with the
    /// caught signals blocked on purpose: whatever arrives while the new image starts stays pending
    /// instead of killing it (default action), and the new image unblocks them once it has its handlers.
    /// </remarks>
    private int? Restart()
    {
        if (ConfigurationOnDisk.Read(_confDir, _options.User).RestartBlockers() is { } blockers)
        {
            // The new image would refuse to start, or start without a host whose line has a typo: keep this one.
            foreach (var line in blockers)
                _log.Warning($"{line}");
            _log.Critical("HUP refused: the configuration or hosts.tab has errors (above); the running lonc is kept as it is");
            return null;
        }
        HangUp();
        _log.Critical("Restarting");
        WithdrawStatus();
        _pidFile.Remove();
        SignalMask.Block(Caught);
        // Queued USR1/USR2/HUP are absorbed by the restart: every host starts afresh from the hosts.tab the
        // new image reads. A stop is not.
        var stop = false;
        while (_signals.TryTake(out var signo))
            stop |= signo is Signals.Int or Signals.Term or Signals.Quit;
        if (stop)
        {
            _log.Critical("Shutting down");
            return 0;
        }
        _log.Flush();
        var error = ProcessExec.Replace(SelfImage.Current.Argv(ImageArguments.ForRestart(_options)));
        SignalMask.Unblock(Caught);
        _log.Critical($"Can't restart lonc: {SystemErrorText.Of(error)}");
        Console.Error.WriteLine($"lonc: {SystemErrorText.Of(error)}");
        return 1;
    }

    /// <summary>1.53's catchexception for the parent: log, take the children down with us, exit 1.</summary>
    private int Abend(string what)
    {
        _log.Critical(
            $"ABNORMAL EXIT. Child {Environment.ProcessId} for server [{_log.Conserver}] died through \"{what}\" with parameter ");
        try
        {
            HangUp();
        }
        catch (Exception e)
        {
            _log.Critical($"Hang-up failed ({e.GetType().Name}: {SystemErrorText.Of(e)}), killing the children");
            foreach (var (_, pid) in _children.AllChildren)
                Signals.Send(pid, Signals.Kill);
        }
        WithdrawStatus();
        _pidFile.Remove();
        return 1;
    }

    /// <summary>
    /// 1.53's hangup(): ask every child to close (<c>exit</c> through its socket; all at once here),
    /// log <c>Closing &lt;host&gt;: &lt;reply&gt;</c>, SIGINT it; then reap them all (children a reload is
    /// retiring too), SIGKILLing any that outstay <see cref="StopGrace"/>, so no child outlives the parent.
    /// </summary>
    private void HangUp()
    {
        foreach (var (host, pid) in AskToClose(_children.Live))
        {
            _log.Status($"Kill PID {pid} for {host}");
            Signals.Send(pid, Signals.Int);
        }

        if (!WaitForChildren(StopGrace))
        {
            foreach (var (host, pid) in _children.AllChildren)
            {
                _log.Critical($"Child {pid} for server {host} did not stop, killing it");
                Signals.Send(pid, Signals.Kill);
            }
            WaitForChildren(KillGrace);
        }
        _failedStarts.Clear();
    }

    /// <summary>
    /// The hang-up request of 1.53: <c>exit</c> through each child's socket, all at once within
    /// <see cref="HangupDeadline"/>, and <c>Closing &lt;host&gt;: &lt;reply&gt;</c> logged; returns the children asked.
    /// </summary>
    private IReadOnlyList<(string Host, int Pid)> AskToClose(IReadOnlyList<(string Host, int Pid)> children)
    {
        var remote = children.Where(c => c.Host != _settings.LonHostId).Select(c => _settings.SocketPath(c.Host)).ToList();
        var replies = new Queue<string>(ChildHangup.Ask(remote, "exit", HangupDeadline));
        foreach (var (host, _) in children)
        {
            _log.Status($"Closing {host}");
            // lonc's own subreply() answered for its own host without asking anybody.
            var reply = host == _settings.LonHostId ? "self_reply" : replies.Dequeue();
            About(host).Log($"Closing {host}: {reply}");
        }
        return children;
    }

    private bool WaitForChildren(TimeSpan grace)
    {
        var deadline = MonotonicClock.After(grace);
        while (true)
        {
            ReapChildren(restart: false);
            if (_children.LiveCount == 0)
                return true;
            if (MonotonicClock.Passed(deadline))
                return false;
            Thread.Sleep(10);
        }
    }
}
