using System.Diagnostics;

namespace LegacyLonc.Posix;

/// <summary>
/// The one clock every deadline, timeout and grace period of lonc is measured on: CLOCK_MONOTONIC (through
/// <see cref="Stopwatch"/>), which never jumps when an administrator or NTP steps the wall clock.
/// Wall-clock time (<c>DateTime</c>, Perl's <c>time</c>) is only for what is shown: log stamps and status.
/// </summary>
public static class MonotonicClock
{
    /// <summary>Now, in <see cref="Stopwatch"/> ticks.</summary>
    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>The tick count <paramref name="span"/> from now.</summary>
    public static long After(TimeSpan span) => Now + Ticks(span);

    /// <summary><paramref name="span"/> in <see cref="Stopwatch"/> ticks (negative spans count as zero).</summary>
    public static long Ticks(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : (long)Math.Min(span.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

    /// <summary>How long until <paramref name="deadline"/> (zero once it has passed).</summary>
    public static TimeSpan Until(long deadline)
    {
        var left = deadline - Now;
        return left <= 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, left);
    }

    /// <summary>True once <paramref name="deadline"/> has passed.</summary>
    public static bool Passed(long deadline) => Now >= deadline;

    /// <summary>Time elapsed since <paramref name="start"/> (a value of <see cref="Now"/>).</summary>
    public static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
}
