using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>The USR1 status report: one line for every host of hosts.tab (and for hosts a reload removed).</summary>
public sealed partial class Supervisor
{
    /// <summary>
    /// The report as things stand: 1.53's header, then a parent line (pid <c>-</c>) for every host without a serving
    /// child and for every host a reload removed; the serving children are listed to be asked for their own line.
    /// </summary>
    /// <remarks>
    /// 1.53 signalled every child. A child that has not reported <c>online</c> is described by the parent instead:
    /// one spawned a moment ago may have no USR1 handler yet (the signal's default action would kill it), and
    /// one that is only starting or sleeping after a failure has nothing to report but its state.
    /// A host down without a child is restarted by the USR1 that asks for the report (1.53's USRMAN).
    /// </remarks>
    private (IReadOnlyList<string> Lines, IReadOnlyList<int> Serving, long WallNow) StatusLines()
    {
        var wallNow = PerlTime.Now();
        var now = MonotonicClock.Now;
        var lines = new List<string>();
        var serving = new List<int>();
        foreach (var host in _children.Hosts)
        {
            var state = _children.State(host);
            var pid = _children.PidOf(host);
            if (state == HostState.Serving && pid is { } p)
            {
                serving.Add(p);
                continue;
            }
            var retry = state == HostState.BackingOff
                ? PerlTime.Localtime(wallNow + _children.SecondsUntilRetry(host, now))
                : "";
            var words = StatusReport.Describe(state, _children.Attempts(host), retry);
            if (pid is null && state is HostState.Skipped or HostState.BackingOff)
                words += ", restarting now";
            lines.Add(StatusReport.ParentLine(host, words, _children.LastEvent(host)));
        }
        foreach (var (host, lastEvent) in _children.Removed)
            lines.Add(StatusReport.ParentLine(host, StatusReport.Removed, lastEvent));
        return (lines, serving, wallNow);
    }

    /// <summary>Rewrites loncstatus.txt with the header and the parent's lines, then sends each serving child USR1.</summary>
    private void WriteStatusReport((IReadOnlyList<string> Lines, IReadOnlyList<int> Serving, long WallNow) report)
    {
        var path = _settings.StatusFilePath;
        try
        {
            StatusReport.Start(path, PerlTime.Localtime(report.WallNow), Environment.ProcessId, report.Lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Log(LogColor.Blue, $"WARNING: Can't write {path}: {SystemErrorText.Of(e)}");
        }
        // Each serving child appends its own line (ChildStatusReport) when it gets USR1.
        foreach (var pid in report.Serving)
        {
            if (Signals.Send(pid, Signals.Usr1) != 0)
                _log.Log($"Child {pid} is dead");
        }
    }
}
