namespace LegacyLonc.Testbed;

/// <summary>
/// A soak's outcome and its verdict: PASS when the resident sets of all lonc processes together grew by at most
/// <see cref="MaxRssGrowth"/>, every role (parent, host child) kept its descriptor count, no reply was misrouted and
/// nothing crashed.
/// </summary>
public sealed record SoakReport(
    SoakTally Tally,
    IReadOnlyList<SoakProcess> Start,
    IReadOnlyList<SoakProcess> End,
    IReadOnlyDictionary<SoakFault, int> Faults,
    IReadOnlyDictionary<int, int> Signals,
    IReadOnlyList<string> Crashes,
    IReadOnlyList<string> Problems,
    string? Failure)
{
    /// <summary>The largest allowed growth of the total resident set from the start to the end measurement.</summary>
    public const double MaxRssGrowth = 0.05;

    public long StartRssKiB => Start.Sum(p => p.RssKiB);
    public long EndRssKiB => End.Sum(p => p.RssKiB);
    public double RssGrowth => StartRssKiB == 0 ? 0 : (double)(EndRssKiB - StartRssKiB) / StartRssKiB;

    /// <summary>Roles whose descriptor count differs between start and end (or that are missing in one of them).</summary>
    public IReadOnlyList<string> DescriptorChanges =>
        Start.Select(p => p.Role).Union(End.Select(p => p.Role))
            .Where(r => Start.FirstOrDefault(p => p.Role == r)?.Descriptors is not { } a || End.FirstOrDefault(p => p.Role == r)?.Descriptors != a)
            .ToList();

    public bool Passed =>
        Failure is null && Start.Count > 0 && RssGrowth <= MaxRssGrowth && DescriptorChanges.Count == 0 &&
        Tally.Misrouted == 0 && Crashes.Count == 0;

    public void Print(TextWriter o)
    {
        var t = Tally;
        o.WriteLine($"faults: {string.Join(", ", Faults.Select(f => $"{f.Key.ToString().ToLowerInvariant()} {f.Value}"))}; " +
                    $"signals: {(Signals.Count == 0 ? "none" : string.Join(", ", Signals.Select(s => $"{LegacyLonc.Posix.Signals.Name(s.Key)} {s.Value}")))}");
        o.WriteLine($"requests {t.Requests}: matched {t.Matched}, con_lost {t.ConLost}, no reply {t.NoReply}, " +
                    $"misrouted {t.Misrouted} ({t.ForeignToken} with another request's token)");
        o.WriteLine($"replies matched to their request: {t.Matched} of {t.Matched + t.Misrouted} replies that were not con_lost");
        foreach (var p in Problems)
            o.WriteLine($"  {p}");
        o.WriteLine($"{"process",-14} {"start pid",10} {"RSS KiB",8} {"fds",4}   {"end pid",8} {"RSS KiB",8} {"fds",4}");
        foreach (var role in Start.Select(p => p.Role).Union(End.Select(p => p.Role)))
        {
            var a = Start.FirstOrDefault(p => p.Role == role);
            var b = End.FirstOrDefault(p => p.Role == role);
            o.WriteLine($"{role,-14} {a?.Pid,10} {a?.RssKiB,8} {a?.Descriptors,4}   {b?.Pid,8} {b?.RssKiB,8} {b?.Descriptors,4}");
        }
        o.WriteLine($"RSS of all lonc processes: {StartRssKiB} KiB at start, {EndRssKiB} KiB at end ({RssGrowth * 100:+0.0;-0.0;0.0} %)");
        o.WriteLine($"descriptors: {(DescriptorChanges.Count == 0 ? "constant" : "changed for " + string.Join(", ", DescriptorChanges))}");
        o.WriteLine($"crashes: {Crashes.Count}");
        foreach (var c in Crashes.Take(20))
            o.WriteLine($"  {c}");
        if (Failure is not null)
            o.WriteLine($"run failed: {Failure}");
        o.WriteLine($"{(Passed ? "PASS" : "FAIL")} (RSS growth {RssGrowth * 100:0.0} % <= {MaxRssGrowth * 100:0} %, descriptors constant, " +
                    $"{t.Misrouted} misrouted, {Crashes.Count} crashes)");
    }
}
