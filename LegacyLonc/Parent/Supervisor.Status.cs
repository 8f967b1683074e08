using LegacyLonc.Logging;
using LegacyLonc.Posix;
using LegacyLonc.Status;

namespace LegacyLonc.Parent;

/// <summary>
/// The status the parent keeps current for <c>lonc --status</c> (<see cref="StatusSnapshot"/>), and the USR1 status
/// report: one line for every host of hosts.tab (and for hosts a reload removed).
/// </summary>
public sealed partial class Supervisor
{
    // Wall-clock time at one monotonic instant: the status shows wall times, the table keeps monotonic ones.
    private readonly (long Wall, long Ticks) _clockOrigin = (PerlTime.Now(), MonotonicClock.Now);
    private byte[] _publishedStatus = Array.Empty<byte>();
    private bool _statusWriteFailed;

    private string StatusSnapshotPath => Path.Combine(_settings.LogDir, StatusSnapshot.FileName);

    /// <summary>The hosts of the running configuration as they stand now.</summary>
    private StatusSnapshot CurrentStatus() => new(Environment.ProcessId, _children.Hosts.Select(host => new HostStatus(
        host,
        _children.PidOf(host),
        _children.State(host).StatusName(),
        WallTime(_children.Since(host)),
        _children.Backoff is null ? _children.Attempts(host) : _children.Failures(host),
        _children.NextAttempt(host) is { } next ? WallTime(next) : null,
        _children.LastError(host) is { Length: > 0 } error ? error : null)).ToList());

    /// <summary>Rewrites the status file when anything in it changed; a failure is logged once until a write succeeds.</summary>
    private void PublishStatus()
    {
        var json = CurrentStatus().ToJson();
        if (json.AsSpan().SequenceEqual(_publishedStatus))
            return;
        try
        {
            ReplacedFile.Write(StatusSnapshotPath, json, RawFile.ReadableByAll);
            _publishedStatus = json;
            _statusWriteFailed = false;
        }
        catch (IOException e)
        {
            if (!_statusWriteFailed)
                _log.Warning($"Can't write {StatusSnapshotPath}: {SystemErrorText.Of(e)}");
            _statusWriteFailed = true;
        }
    }

    /// <summary>No status is left for a parent that is gone (or re-executing, which writes its own).</summary>
    private void WithdrawStatus()
    {
        try
        {
            File.Delete(StatusSnapshotPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Unix seconds of a monotonic instant (0, a host never started, counts as the parent's start).</summary>
    private long WallTime(long ticks) =>
        _clockOrigin.Wall + (long)Math.Round((ticks == 0 ? 0 : ticks - _clockOrigin.Ticks) / (double)System.Diagnostics.Stopwatch.Frequency);
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
            _log.Warning($"Can't write {path}: {SystemErrorText.Of(e)}");
        }
        // Each serving child appends its own line (ChildStatusReport) when it gets USR1.
        foreach (var pid in report.Serving)
        {
            if (Signals.Send(pid, Signals.Usr1) != 0)
                _log.Log($"Child {pid} is dead");
        }
    }
}
