using LegacyLonc.Configuration;

namespace LegacyLonc.Parent;

/// <summary>
/// The opt-in restart policy (<c>loncRestartBackoff on</c>): the delay before the k-th consecutive restart of a
/// host is <c>Min·2^(k−1)</c> seconds, capped at <c>Max</c>, shortened by up to a quarter at random, never below
/// <c>Min</c>; a child that served for <c>Reset</c> seconds starts the sequence afresh. Pure: the random
/// source is injected.
/// </summary>
/// <remarks>
/// The jitter only shortens, so a delay never exceeds <c>Max</c>, and a quarter is small enough that every
/// uncapped step still grows (the lowest value of step k+1, 1.5·nominal(k), is above the highest of step k).
/// It spreads the restarts of hosts that failed together (a network outage), whose children would
/// otherwise all start at once and compete for the CPU.
/// </remarks>
public sealed class RestartBackoff
{
    /// <summary>The largest share of a delay the jitter takes off.</summary>
    public const double Jitter = 0.25;

    private readonly Func<double> _random;

    /// <param name="min">First delay.</param>
    /// <param name="max">Cap of the delay; at least <paramref name="min"/>.</param>
    /// <param name="reset">Serving time after which the next failure counts as the first again.</param>
    /// <param name="random">Uniform values in [0, 1) (<see cref="Random.NextDouble"/>).</param>
    public RestartBackoff(TimeSpan min, TimeSpan max, TimeSpan reset, Func<double> random)
    {
        if (min <= TimeSpan.Zero || max < min)
            throw new ArgumentException($"backoff needs 0 < min <= max (min {min}, max {max})");
        Min = min;
        Max = max;
        Reset = reset;
        _random = random;
    }

    /// <summary>The policy of <paramref name="settings"/>, or null when <c>loncRestartBackoff</c> is off.</summary>
    public static RestartBackoff? From(LoncSettings settings, Func<double>? random = null) =>
        settings.RestartBackoff
            ? new RestartBackoff(TimeSpan.FromSeconds(settings.RestartBackoffMin), TimeSpan.FromSeconds(settings.RestartBackoffMax),
                TimeSpan.FromSeconds(settings.RestartBackoffReset), random ?? Random.Shared.NextDouble)
            : null;

    public TimeSpan Min { get; }
    public TimeSpan Max { get; }
    public TimeSpan Reset { get; }

    /// <summary>Whole seconds to wait before restarting after the <paramref name="failures"/>-th failure in a row (≥ 1).</summary>
    public int DelaySeconds(int failures)
    {
        var nominal = Nominal(failures).TotalSeconds;
        var jittered = nominal * (1 - Jitter * _random());
        return (int)Math.Clamp(Math.Round(jittered, MidpointRounding.AwayFromZero), Min.TotalSeconds, Max.TotalSeconds);
    }

    /// <summary>The delay before jitter: <c>min(Max, Min·2^(failures−1))</c>.</summary>
    public TimeSpan Nominal(int failures)
    {
        if (failures < 1)
            throw new ArgumentOutOfRangeException(nameof(failures), failures, "the first failure is number 1");
        // Doubling stops at Max; past 2^30 the double would only overflow the TimeSpan.
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(Max.TotalSeconds, Min.TotalSeconds * factor));
    }

    /// <summary>The consecutive failures after one more, given the count so far and how long the child served.</summary>
    public int FailuresAfter(int failuresSoFar, TimeSpan served) =>
        (served >= Reset ? 0 : failuresSoFar) + 1;
}
