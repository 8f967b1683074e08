using System.Globalization;

namespace LegacyLonc.Testbed;

/// <summary>
/// The outcome of a <see cref="LoadRun"/> as one parseable line of <c>key=value</c> pairs, e.g.
/// <c>load clients=4 persistent=no requests=1000 ok=1000 failures=0 mismatches=0 seconds=1.234 rps=810.4 p50_us=1200 p99_us=3400</c>.
/// </summary>
/// <param name="Requests">Requests sent (each ended as ok, failure or mismatch).</param>
/// <param name="Failures">No reply (connect failure, EOF, timeout) or a <c>con_lost</c> reply.</param>
/// <param name="Mismatches">A reply that is not the echo of its own request.</param>
/// <param name="P50Micros">Median latency of the ok requests (0 when none), connect included without --persistent.</param>
public sealed record LoadReport(
    int Clients, bool Persistent, long Requests, long Ok, long Failures, long Mismatches,
    double Seconds, double RequestsPerSecond, long P50Micros, long P99Micros)
{
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"load clients={Clients} persistent={(Persistent ? "yes" : "no")} requests={Requests} ok={Ok} " +
        $"failures={Failures} mismatches={Mismatches} seconds={Seconds:0.000} rps={RequestsPerSecond:0.0} " +
        $"p50_us={P50Micros} p99_us={P99Micros}");

    /// <summary>Reads a line written by <see cref="Format"/>; false when it is not one.</summary>
    public static bool TryParse(string line, out LoadReport report)
    {
        report = null!;
        var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0] != "load")
            return false;
        var v = new Dictionary<string, string>();
        foreach (var w in words.Skip(1))
        {
            var eq = w.IndexOf('=');
            if (eq <= 0)
                return false;
            v[w[..eq]] = w[(eq + 1)..];
        }
        var inv = CultureInfo.InvariantCulture;
        try
        {
            report = new LoadReport(
                int.Parse(v["clients"], inv), v["persistent"] == "yes",
                long.Parse(v["requests"], inv), long.Parse(v["ok"], inv), long.Parse(v["failures"], inv),
                long.Parse(v["mismatches"], inv), double.Parse(v["seconds"], inv), double.Parse(v["rps"], inv),
                long.Parse(v["p50_us"], inv), long.Parse(v["p99_us"], inv));
            return true;
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>Nearest-rank percentile of ascending <paramref name="sorted"/> (0 when empty).</summary>
    public static long Percentile(IReadOnlyList<long> sorted, double q)
    {
        if (sorted.Count == 0)
            return 0;
        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
