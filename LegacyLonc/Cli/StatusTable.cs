using LegacyLonc.Logging;
using LegacyLonc.Status;

namespace LegacyLonc.Cli;

/// <summary>
/// The parent's status (<see cref="StatusSnapshot"/>) as text for an administrator at a shell (<c>lonc --status</c>):
/// a summary line, then one row per host in hosts.tab order. Pure: the snapshot in, the text out.
/// </summary>
public static class StatusTable
{
    /// <summary>Writes the summary and the table; times in <paramref name="zone"/> (the local zone by default).</summary>
    public static void Write(StatusSnapshot status, TextWriter output, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        output.WriteLine($"lonc (pid {status.Parent}): {Summary(status.Hosts)}");
        output.WriteLine();
        var table = new List<string[]> { new[] { "HOST", "PID", "STATE", "SINCE", "NEXT ATTEMPT", "LAST ERROR" } };
        table.AddRange(status.Hosts.Select(h => new[]
        {
            h.Host,
            h.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            Words(h),
            PerlTime.Localtime(h.Since, zone),
            h.NextAttempt is { } next ? PerlTime.Localtime(next, zone) : h.State == "skipped" ? "on USR1" : "-",
            h.LastError ?? "",
        }));
        var widths = Enumerable.Range(0, 5).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var r in table)
            output.WriteLine(string.Join("  ", r.Take(5).Select((cell, c) => cell.PadRight(widths[c])).Append(r[5])).TrimEnd());
    }

    /// <summary>A summary such as <c>3 hosts: 2 serving, 1 skipped</c>, serving first.</summary>
    public static string Summary(IReadOnlyList<HostStatus> hosts)
    {
        var groups = hosts.GroupBy(h => Kind(h.State)).OrderBy(g => g.Key == "serving" ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal);
        return $"{hosts.Count} host{(hosts.Count == 1 ? "" : "s")}: " + string.Join(", ", groups.Select(g => $"{g.Count()} {g.Key}"));
    }

    /// <summary>The state in words: <c>sleeping after failure</c>, <c>skipped after 5 attempts</c>, ….</summary>
    private static string Words(HostStatus h) => h.State switch
    {
        "sleeping" => "sleeping after failure",
        "skipped" => $"skipped after {h.Attempts} attempt{(h.Attempts == 1 ? "" : "s")}",
        _ => Kind(h.State),
    };

    private static string Kind(string state) => state.Replace('_', ' ');
}
