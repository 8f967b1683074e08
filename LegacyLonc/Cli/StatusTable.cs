using System.Text.RegularExpressions;
using LegacyLonc.Parent;

namespace LegacyLonc.Cli;

/// <summary>
/// loncstatus.txt as a table for an administrator at a shell (<c>lonc --status</c>): one row per host in hosts.tab
/// order, the colour markers of the log lines removed. Pure: the lines in, the text out.
/// </summary>
public static partial class StatusTable
{
    /// <summary>One host's line of the report.</summary>
    public sealed record Row(string Host, string Pid, string State, string LastLog);

    /// <summary>The rows of <paramref name="lines"/> (header and malformed lines left out), the last line of a host winning.</summary>
    public static IReadOnlyList<Row> Rows(IEnumerable<string> lines)
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var f = line.Split('\t', 4);
            if (f.Length < 3 || f[1].Length == 0)
                continue;
            var lastLog = f.Length == 4 ? Unmark(f[3]) : "";
            // A child writes its 1.53 $status, "<localtime>: <what>"; only a serving child is asked for it.
            var state = f[0] == StatusReport.NoPid ? f[2] : $"serving: {WithoutTime(f[2])}";
            rows[f[1]] = new Row(f[1], f[0], state, lastLog);
        }
        return rows.Values.ToList();
    }

    /// <summary>
    /// Writes the table, hosts of <paramref name="hostOrder"/> first and in that order; returns the hosts of
    /// <paramref name="hostOrder"/> that have no line.
    /// </summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<Row> rows, IReadOnlyList<string> hostOrder, TextWriter output)
    {
        var position = hostOrder.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        var ordered = rows.OrderBy(r => position.GetValueOrDefault(r.Host, int.MaxValue)).ToList();
        var table = new List<string[]> { new[] { "HOST", "PID", "STATE", "LAST LOG LINE" } };
        table.AddRange(ordered.Select(r => new[] { r.Host, r.Pid, r.State, r.LastLog }));
        var widths = Enumerable.Range(0, 3).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var r in table)
            output.WriteLine($"{r[0].PadRight(widths[0])}  {r[1].PadRight(widths[1])}  {r[2].PadRight(widths[2])}  {r[3]}".TrimEnd());
        var present = rows.Select(r => r.Host).ToHashSet(StringComparer.Ordinal);
        return hostOrder.Where(h => !present.Contains(h)).ToList();
    }

    /// <summary>A summary such as <c>3 hosts: 2 serving, 1 skipped after 5 attempts</c>.</summary>
    public static string Summary(IReadOnlyList<Row> rows)
    {
        var groups = rows.GroupBy(r => Kind(r.State)).OrderBy(g => g.Key == "serving" ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal);
        return $"{rows.Count} host{(rows.Count == 1 ? "" : "s")}: " + string.Join(", ", groups.Select(g => $"{g.Count()} {g.Key}"));
    }

    // "backing off until <time>" counts as "backing off", "skipped after 5 attempts" as "skipped".
    private static string Kind(string state) => state switch
    {
        _ when state.StartsWith("serving", StringComparison.Ordinal) => "serving",
        _ when state.StartsWith("backing off", StringComparison.Ordinal) => "backing off",
        _ when state.StartsWith("skipped", StringComparison.Ordinal) => "skipped",
        _ => state,
    };

    /// <summary>Drops the <c>&lt;font color=...&gt;</c> markers 1.53 put around log messages.</summary>
    public static string Unmark(string text) => FontMarker().Replace(text, "");

    /// <summary>"Sat Nov 21 11:30:48 2026: Main loop h1" → "Main loop h1".</summary>
    private static string WithoutTime(string status)
    {
        var m = PerlTimePrefix().Match(status);
        return m.Success ? status[m.Length..] : status;
    }

    [GeneratedRegex("</?font[^>]*>")]
    private static partial Regex FontMarker();

    [GeneratedRegex(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: ")]
    private static partial Regex PerlTimePrefix();
}
