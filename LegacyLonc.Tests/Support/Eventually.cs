using System.Diagnostics;

namespace LegacyLonc.Tests.Support;

/// <summary>Bounded polling: every wait in the tests ends by itself.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 20 ms until true or <paramref name="timeout"/>; returns the last result.</summary>
    public static bool True(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
                return true;
            if (sw.Elapsed > timeout)
                return false;
            Thread.Sleep(20);
        }
    }

    /// <summary>Like <see cref="True"/>, but fails the test with <paramref name="what"/> (and a detail callback) on timeout.</summary>
    public static void Assert(Func<bool> condition, TimeSpan timeout, string what, Func<string>? detail = null)
    {
        if (!True(condition, timeout))
            Xunit.Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}{(detail is null ? "" : "\n" + detail())}");
    }
}
