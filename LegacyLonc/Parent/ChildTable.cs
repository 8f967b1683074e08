using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>What the parent does after a host's child has died.</summary>
public enum AfterExit
{
    /// <summary>Start a new child now; the host's attempt counter was incremented.</summary>
    Restart,
    /// <summary>The host used up its attempts; it stays down until USR1.</summary>
    Skip,
    /// <summary>Start a new child once <see cref="ChildTable.RetryAt"/> has come (restart backoff).</summary>
    BackOff,
}

/// <summary>
/// lonc 1.53's <c>%children</c> (pid → host), <c>%childpid</c> (host → pid) and <c>%childatt</c>
/// (host → attempts), grown into the parent's picture of its hosts: a <see cref="HostRecord"/> for each, the
/// pid → host table, the restart decision, scheduled restarts, children being retired by a hosts.tab reload, and
/// hosts removed from it. It decides; each record's <see cref="HostRecord.Enter"/> changes (and logs) the state.
/// Bookkeeping on a monotonic clock passed in (<see cref="MonotonicClock"/> ticks); the supervisor does the
/// process work.
/// </summary>
/// <remarks>
/// Without a <see cref="RestartBackoff"/> this is 1.53: the attempt counter counts restarts after a death and
/// is never reset by a child that runs fine; only USR1 (<see cref="ResetAttempts"/>) and a child's
/// <c>reset_retries</c> zero it.
/// </remarks>
public sealed class ChildTable
{
    private readonly List<string> _hosts = new();
    private readonly Dictionary<string, HostRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _hostOf = new();
    // Children asked to go by a reload: pid → (host, when to SIGKILL, already SIGKILLed).
    private readonly Dictionary<int, (string Host, long KillAt, bool Killed)> _retiring = new();
    // Hosts a reload removed, with the last event the parent logged about each, in removal order.
    private readonly List<(string Host, string LastEvent)> _removed = new();
    private readonly LoncLog? _log;

    /// <summary>The table of <paramref name="hosts"/>; each host's state changes are logged to <paramref name="log"/> (see <see cref="HostRecord.Enter"/>).</summary>
    public ChildTable(IEnumerable<string> hosts, int maxAttempts, RestartBackoff? backoff = null, LoncLog? log = null)
    {
        _log = log;
        foreach (var h in hosts.Distinct(StringComparer.Ordinal))
            Add(h);
        Configure(maxAttempts, backoff);
    }

    /// <summary>Every host, in hosts.tab order.</summary>
    public IReadOnlyList<string> Hosts => _hosts;

    /// <summary><c>loncChildMaxAttempts</c>.</summary>
    public int MaxAttempts { get; private set; }

    /// <summary>The restart backoff, or null for 1.53's give-up-after-<see cref="MaxAttempts"/>.</summary>
    public RestartBackoff? Backoff { get; private set; }

    /// <summary>Takes new settings (a reload); counters and states stay.</summary>
    public void Configure(int maxAttempts, RestartBackoff? backoff)
    {
        MaxAttempts = maxAttempts;
        Backoff = backoff;
    }

    /// <summary>Current children as (host, pid), in hosts.tab order (children being retired are not listed).</summary>
    public IReadOnlyList<(string Host, int Pid)> Live =>
        _hosts.Where(h => _records[h].Pid is not null).Select(h => (h, _records[h].Pid!.Value)).ToList();

    /// <summary>Every child process of ours, current and retiring, as (host, pid).</summary>
    public IReadOnlyList<(string Host, int Pid)> AllChildren =>
        Live.Concat(_retiring.Select(r => (r.Value.Host, r.Key))).ToList();

    /// <summary>Child processes of ours still running, retiring ones included.</summary>
    public int LiveCount => _hostOf.Count;

    /// <summary>Hosts left down after using up their attempts, in hosts.tab order.</summary>
    public IReadOnlyList<string> Skipped => _hosts.Where(h => _records[h].State == HostState.Skipped).ToList();

    /// <summary>Hosts a reload removed, with the last event logged about each.</summary>
    public IReadOnlyList<(string Host, string LastEvent)> Removed => _removed;

    public bool Contains(string host) => _records.ContainsKey(host);

    public int Attempts(string host) => _records.TryGetValue(host, out var r) ? r.Attempts : 0;

    /// <summary>Consecutive failures counted by the restart backoff.</summary>
    public int Failures(string host) => _records.TryGetValue(host, out var r) ? r.Failures : 0;

    public int? PidOf(string host) => _records.TryGetValue(host, out var r) ? r.Pid : null;

    /// <summary>The host of a child of ours, current or retiring.</summary>
    public string? HostOf(int pid) => _hostOf.GetValueOrDefault(pid);

    public HostState State(string host) => Record(host).State;

    /// <summary>When a backing-off host is due for its restart (monotonic ticks).</summary>
    public long RetryAt(string host) => Record(host).RetryAt;

    /// <summary>The last line the parent logged about the host (<c>&lt;localtime&gt;: &lt;message&gt;</c>), for the status report.</summary>
    public string LastEvent(string host) => Record(host).LastEvent;

    /// <summary>Since when the host is in its <see cref="State"/> (monotonic ticks; 0 for a host not yet started).</summary>
    public long Since(string host) => Record(host).Since;

    /// <summary>
    /// When the host's next attempt is due (monotonic ticks): a backing-off host's restart, or the end of a sleeping
    /// child's fail sleep when a restart follows it; null when none is scheduled (serving, starting, skipped).
    /// </summary>
    public long? NextAttempt(string host) => Record(host).NextAttempt;

    /// <summary>The last failure reported for the host (its child's words, or how the child ended); empty once it serves.</summary>
    public string LastError(string host) => Record(host).LastError;

    /// <summary>Keeps <paramref name="reason"/> as the host's last failure (a child that died without saying why).</summary>
    public void Failed(string host, string reason)
    {
        if (_records.TryGetValue(host, out var r))
            r.LastError = reason;
    }

    public void Note(string host, string lastEvent)
    {
        if (_records.TryGetValue(host, out var r))
            r.LastEvent = lastEvent;
    }

    /// <summary>Hosts whose child serves now, and hosts that are down (sleeping after failure, backing off, skipped).</summary>
    public (int Serving, int Down) Counts()
    {
        var serving = 0;
        var down = 0;
        foreach (var r in _records.Values)
        {
            if (r.State == HostState.Serving)
                serving++;
            else if (r.State is HostState.SleepingAfterFailure or HostState.BackingOff or HostState.Skipped)
                down++;
        }
        return (serving, down);
    }

    /// <summary>Records that <paramref name="pid"/> now serves <paramref name="host"/>.</summary>
    public void Started(string host, int pid, long now = 0)
    {
        if (!_records.TryGetValue(host, out var r))
            throw new ArgumentException($"unknown host '{host}'", nameof(host));
        if (r.Pid is { } old)
            throw new InvalidOperationException($"host '{host}' already has child {old}");
        if (IsRetiring(host))
            throw new InvalidOperationException($"host '{host}' still has a child being retired");
        r.ChildStarted(pid, now);
        _hostOf[pid] = host;
    }

    /// <summary>The child <paramref name="pid"/> reported it serves; false when it is not the host's current child.</summary>
    public bool Online(string host, int pid, long now)
    {
        if (!IsCurrent(host, pid, out var r))
            return false;
        r.Enter(HostState.Serving, now, HostEvent.Online);
        r.OnlineSince ??= now;
        r.LastError = "";
        return true;
    }

    /// <summary>
    /// The child <paramref name="pid"/> reported its fail sleep of <paramref name="seconds"/> because of
    /// <paramref name="reason"/>; false when it is not the host's current child.
    /// </summary>
    public bool Sleeping(string host, int pid, long now = 0, int seconds = 0, string reason = "")
    {
        if (!IsCurrent(host, pid, out var r))
            return false;
        var wakes = now + MonotonicClock.Ticks(TimeSpan.FromSeconds(seconds));
        long? next = null;
        if (Backoff is { } backoff)
        {
            var served = r.OnlineSince is { } since ? Elapsed(since, wakes) : TimeSpan.Zero;
            next = wakes + MonotonicClock.Ticks(backoff.Nominal(backoff.FailuresAfter(r.Failures, served)));
        }
        else if (r.Attempts < MaxAttempts)
            next = wakes;
        r.Enter(HostState.SleepingAfterFailure, now, HostEvent.FailSleep, next);
        if (reason.Length > 0)
            r.LastError = reason;
        return true;
    }

    /// <summary>
    /// Forgets a reaped child; returns its host, or null for a pid that is not one of ours.
    /// <paramref name="retired"/> tells a child that a reload was retiring (no restart decision follows).
    /// </summary>
    public string? Exited(int pid, out bool retired)
    {
        retired = false;
        if (!_hostOf.Remove(pid, out var host))
            return null;
        if (_retiring.Remove(pid))
        {
            retired = true;
            return host;
        }
        _records[host].Pid = null;
        return host;
    }

    /// <summary><see cref="Exited(int, out bool)"/> for callers that do not retire children.</summary>
    public string? Exited(int pid) => Exited(pid, out _);

    /// <summary>
    /// Decides what follows the death of <paramref name="host"/>'s child (already <see cref="Exited(int)"/>).
    /// Without backoff: below the limit the counter goes up and the host is restarted, at the limit it is skipped.
    /// With backoff: never skipped; the restart is scheduled after <see cref="RestartBackoff.DelaySeconds"/>.
    /// </summary>
    public AfterExit Decide(string host, long now = 0)
    {
        var r = Record(host);
        var served = r.OnlineSince is { } since ? Elapsed(since, now) : TimeSpan.Zero;
        r.OnlineSince = null;
        if (Backoff is { } backoff)
        {
            r.Failures = backoff.FailuresAfter(r.Failures, served);
            r.RetryAt = now + MonotonicClock.Ticks(TimeSpan.FromSeconds(backoff.DelaySeconds(r.Failures)));
            r.Enter(HostState.BackingOff, now, HostEvent.BackOff, r.RetryAt);
            return AfterExit.BackOff;
        }
        if (r.Attempts < MaxAttempts)
        {
            r.Attempts++;
            r.Enter(HostState.Starting, now, HostEvent.Restart);
            return AfterExit.Restart;
        }
        r.Enter(HostState.Skipped, now, HostEvent.Skip);
        return AfterExit.Skip;
    }

    /// <summary>Seconds between <paramref name="now"/> and a backing-off host's restart (rounded up).</summary>
    public int SecondsUntilRetry(string host, long now) =>
        (int)Math.Ceiling(Elapsed(now, Record(host).RetryAt).TotalSeconds);

    /// <summary>Backing-off hosts whose restart is due, in hosts.tab order; they count as starting from here.</summary>
    public IReadOnlyList<string> DueRestarts(long now)
    {
        var due = _hosts.Where(h => _records[h].State == HostState.BackingOff && _records[h].RetryAt <= now).ToList();
        foreach (var h in due)
            _records[h].Enter(HostState.Starting, now, HostEvent.DelayOver);
        return due;
    }

    /// <summary>The earliest scheduled event (a backoff restart or a retiree's SIGKILL), or null.</summary>
    public long? NextDeadline()
    {
        long? next = null;
        foreach (var r in _records.Values)
            if (r.State == HostState.BackingOff && (next is null || r.RetryAt < next))
                next = r.RetryAt;
        foreach (var (_, t) in _retiring)
            if (!t.Killed && (next is null || t.KillAt < next))
                next = t.KillAt;
        return next;
    }

    /// <summary>
    /// USR1: zeroes every counter and returns the hosts that are down without a child (skipped, or backing off),
    /// which the caller restarts at once.
    /// </summary>
    /// <remarks>
    /// 1.53 restarted every host whose counter had reached the limit, even one whose last attempt was
    /// still running, which left two children fighting over one socket; only hosts that are down are
    /// returned here.
    /// </remarks>
    public IReadOnlyList<string> ResetAttempts(long now = 0)
    {
        var down = _hosts.Where(h => _records[h].State is HostState.Skipped or HostState.BackingOff && _records[h].Pid is null).ToList();
        foreach (var h in _hosts)
        {
            _records[h].Attempts = 0;
            _records[h].Failures = 0;
        }
        foreach (var h in down)
            _records[h].Enter(HostState.Starting, now, HostEvent.Usr1);
        return down;
    }

    /// <summary><c>reset_retries</c> from <paramref name="host"/>'s current child: zeroes that host's counters; false otherwise.</summary>
    public bool ResetRetries(string host, int pid)
    {
        if (!IsCurrent(host, pid, out var r))
            return false;
        r.Attempts = 0;
        r.Failures = 0;
        return true;
    }

    // ------------------------------------------------------------------ reload (USR2)

    /// <summary>Adds a host (a reload found it); it starts as <see cref="HostState.Starting"/> with zero counters.</summary>
    public void Add(string host)
    {
        if (_records.ContainsKey(host))
            throw new InvalidOperationException($"host '{host}' is already in the table");
        _hosts.Add(host);
        _records[host] = new HostRecord(host, _log);
        _removed.RemoveAll(r => r.Host == host);
    }

    /// <summary>
    /// Takes <paramref name="host"/>'s current child off the host and into retirement (it is being hung up);
    /// returns its pid, or null when the host had no child. The child's death is then no restart matter.
    /// </summary>
    public int? Retire(string host, long killAt, long now = 0)
    {
        var r = Record(host);
        if (r.Pid is not { } pid)
            return null;
        r.Pid = null;
        r.Enter(HostState.Starting, now, HostEvent.Reload);
        r.OnlineSince = null;
        _retiring[pid] = (host, killAt, false);
        return pid;
    }

    /// <summary>Removes a host whose child, if any, was <see cref="Retire"/>d: its counters are dropped.</summary>
    public void Remove(string host)
    {
        var r = Record(host);
        if (r.Pid is { } pid)
            throw new InvalidOperationException($"host '{host}' still has child {pid}; retire it first");
        _hosts.Remove(host);
        _records.Remove(host);
        _removed.RemoveAll(x => x.Host == host);
        _removed.Add((host, r.LastEvent));
    }

    /// <summary>A changed host starts afresh: zero counters, and starting as soon as it is free.</summary>
    public void ResetCounters(string host)
    {
        var r = Record(host);
        r.Attempts = 0;
        r.Failures = 0;
    }

    /// <summary>Puts the hosts in <paramref name="order"/> (every host of the table, each once).</summary>
    public void Reorder(IReadOnlyList<string> order)
    {
        if (order.Count != _hosts.Count || order.Except(_hosts, StringComparer.Ordinal).Any())
            throw new ArgumentException("the new order must list exactly the hosts of the table", nameof(order));
        _hosts.Clear();
        _hosts.AddRange(order);
    }

    /// <summary>True while a child of <paramref name="host"/> is being retired (its socket path is not free yet).</summary>
    public bool IsRetiring(string host) => _retiring.Values.Any(t => t.Host == host);

    /// <summary>Marks <paramref name="host"/> to be started once its retiring child is gone.</summary>
    public void StartWhenFree(string host, long now = 0)
    {
        var r = Record(host);
        r.StartWhenFree = true;
        r.Enter(HostState.Starting, now, HostEvent.Reload);
    }

    /// <summary>True (once) when <paramref name="host"/> waited for its retiring child and may start now.</summary>
    public bool TakeStartWhenFree(string host)
    {
        if (!_records.TryGetValue(host, out var r) || !r.StartWhenFree || IsRetiring(host))
            return false;
        r.StartWhenFree = false;
        return true;
    }

    /// <summary>Retiring children past their grace, each returned once, for the SIGKILL.</summary>
    public IReadOnlyList<(string Host, int Pid)> OverdueRetirees(long now)
    {
        var overdue = _retiring.Where(r => !r.Value.Killed && r.Value.KillAt <= now).Select(r => (r.Value.Host, r.Key)).ToList();
        foreach (var (host, pid) in overdue)
            _retiring[pid] = (host, _retiring[pid].KillAt, true);
        return overdue;
    }

    // MonotonicClock's ticks are Stopwatch ticks (CLOCK_MONOTONIC).
    private static TimeSpan Elapsed(long from, long to) =>
        to <= from ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(from, to);

    private bool IsCurrent(string host, int pid, out HostRecord record)
    {
        record = null!;
        if (!_records.TryGetValue(host, out var r) || r.Pid != pid)
            return false;
        record = r;
        return true;
    }

    private HostRecord Record(string host) =>
        _records.TryGetValue(host, out var r) ? r : throw new ArgumentException($"unknown host '{host}'", nameof(host));
}
