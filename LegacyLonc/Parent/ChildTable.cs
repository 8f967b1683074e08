namespace LegacyLonc.Parent;

/// <summary>What the parent does after a child for a host has died.</summary>
public enum AfterExit
{
    /// <summary>Start a new child; the host's attempt counter was incremented.</summary>
    Restart,
    /// <summary>The host used up its attempts; it stays down until USR1.</summary>
    Skip,
}

/// <summary>
/// lonc 1.53's <c>%children</c> (pid → host), <c>%childpid</c> (host → pid) and <c>%childatt</c>
/// (host → attempts): which host each child serves, and how often each host was restarted.
/// Pure bookkeeping; the supervisor does the process work.
/// </summary>
/// <remarks>
/// As in 1.53 the attempt counter counts restarts after a death and is never reset by a child that
/// runs fine; only USR1 (<see cref="ResetAttempts"/>) zeroes it.
/// </remarks>
public sealed class ChildTable
{
    private readonly List<string> _hosts;
    private readonly Dictionary<string, int> _pidOf = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _hostOf = new();
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    public ChildTable(IEnumerable<string> hosts, int maxAttempts)
    {
        _hosts = hosts.Distinct(StringComparer.Ordinal).ToList();
        MaxAttempts = maxAttempts;
        foreach (var h in _hosts)
            _attempts[h] = 0;
    }

    /// <summary>Every host, in hosts.tab order.</summary>
    public IReadOnlyList<string> Hosts => _hosts;

    /// <summary><c>loncChildMaxAttempts</c>.</summary>
    public int MaxAttempts { get; }

    /// <summary>Live children as (host, pid), in hosts.tab order.</summary>
    public IReadOnlyList<(string Host, int Pid)> Live =>
        _hosts.Where(_pidOf.ContainsKey).Select(h => (h, _pidOf[h])).ToList();

    public int LiveCount => _pidOf.Count;

    /// <summary>Hosts left down after using up their attempts, in hosts.tab order.</summary>
    public IReadOnlyList<string> Skipped => _hosts.Where(_skipped.Contains).ToList();

    public int Attempts(string host) => _attempts.GetValueOrDefault(host);

    public int? PidOf(string host) => _pidOf.TryGetValue(host, out var pid) ? pid : null;

    public string? HostOf(int pid) => _hostOf.GetValueOrDefault(pid);

    /// <summary>Records that <paramref name="pid"/> now serves <paramref name="host"/>.</summary>
    public void Started(string host, int pid)
    {
        if (!_attempts.ContainsKey(host))
            throw new ArgumentException($"unknown host '{host}'", nameof(host));
        if (_pidOf.TryGetValue(host, out var old))
            throw new InvalidOperationException($"host '{host}' already has child {old}");
        _pidOf[host] = pid;
        _hostOf[pid] = host;
        _skipped.Remove(host);
    }

    /// <summary>Forgets a reaped child; returns its host, or null for a pid that is not one of ours.</summary>
    public string? Exited(int pid)
    {
        if (!_hostOf.Remove(pid, out var host))
            return null;
        _pidOf.Remove(host);
        return host;
    }

    /// <summary>
    /// Decides what follows the death of <paramref name="host"/>'s child (already <see cref="Exited"/>):
    /// below the limit the counter goes up and the host is restarted, at the limit it is skipped.
    /// </summary>
    public AfterExit Decide(string host)
    {
        if (_attempts[host] < MaxAttempts)
        {
            _attempts[host]++;
            return AfterExit.Restart;
        }
        _skipped.Add(host);
        return AfterExit.Skip;
    }

    /// <summary>
    /// USR1: zeroes every counter and returns the skipped hosts, which the caller restarts.
    /// </summary>
    /// <remarks>
    /// 1.53 restarted every host whose counter had reached the limit, even one whose last attempt was
    /// still running, which left two children fighting over one socket; only hosts that are down are
    /// returned here.
    /// </remarks>
    public IReadOnlyList<string> ResetAttempts()
    {
        var down = Skipped;
        foreach (var h in _hosts)
            _attempts[h] = 0;
        _skipped.Clear();
        return down;
    }
}
