using LegacyLonc.Configuration;

namespace LegacyLonc.Parent;

/// <summary>
/// What a re-read hosts.tab changes for the running hosts (USR2), as loncnew 1.40's <c>UpdateKids</c> sorted it:
/// hosts added, hosts removed, hosts whose IP changed, and everything else left alone. Pure.
/// </summary>
/// <param name="Added">Hosts new in the file, in file order.</param>
/// <param name="Removed">Running hosts the file no longer lists at all.</param>
/// <param name="Changed">Running hosts listed with another IP (the new entries).</param>
/// <param name="KeptMalformed">Running hosts whose line is now malformed: kept as they run (a typo must not take a host down).</param>
/// <param name="Table">The hosts to run from now on: the file's valid hosts in file order, then the kept ones.</param>
public sealed record HostTableChange(
    IReadOnlyList<HostEntry> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<HostEntry> Changed,
    IReadOnlyList<string> KeptMalformed,
    IReadOnlyList<HostEntry> Table)
{
    /// <summary>True when nothing is to be started or stopped.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>Compares the <paramref name="running"/> hosts with the re-read <paramref name="next"/> table.</summary>
    /// <remarks>Only the IP counts as a change: lonc connects to it; domain, role and hostname are lonnet's business.</remarks>
    public static HostTableChange Between(IReadOnlyList<HostEntry> running, HostTable next)
    {
        var old = running.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var fresh = next.Hosts.ToDictionary(h => h.Id, StringComparer.Ordinal);

        var added = next.Hosts.Where(h => !old.ContainsKey(h.Id)).ToList();
        var changed = next.Hosts.Where(h => old.TryGetValue(h.Id, out var was) && !was.Address.Equals(h.Address)).ToList();
        var gone = running.Where(h => !fresh.ContainsKey(h.Id)).ToList();
        var kept = gone.Where(h => next.SkippedIds.Contains(h.Id)).ToList();
        var removed = gone.Where(h => !next.SkippedIds.Contains(h.Id)).Select(h => h.Id).ToList();

        var table = next.Hosts.Concat(kept).ToList();
        return new HostTableChange(added, removed, changed, kept.Select(h => h.Id).ToList(), table);
    }
}
