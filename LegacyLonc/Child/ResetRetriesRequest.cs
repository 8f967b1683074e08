using LegacyLonc.Logging;
using LegacyLonc.Reports;

namespace LegacyLonc.Child;

/// <summary>
/// loncnew's <c>reset_retries</c> request (lonnet sends it): answered <c>ok</c> by the child itself, never relayed
/// to lond, and passed on to the parent, which zeroes the host's attempt counter so that the next failure
/// starts again from 1 of <c>loncChildMaxAttempts</c>. 1.53 knew no such request and relayed it to lond.
/// </summary>
public static class ResetRetriesRequest
{
    private static readonly byte[] Request = "reset_retries"u8.ToArray();

    /// <summary>The reply line.</summary>
    public static ReadOnlySpan<byte> Reply => "ok\n"u8;

    /// <summary>True for the request line (newline already removed).</summary>
    public static bool Matches(ReadOnlySpan<byte> request) => request.SequenceEqual(Request);

    /// <summary>Logs it as loncnew did and tells the parent.</summary>
    public static void Handle(string host, LoncLog log)
    {
        log.Info("Resetting Connection Retries.");
        if (!ParentChannel.Tell(ParentChannel.ResetRetries, host) && ParentChannel.IsAttached)
            log.Warning("Could not pass reset_retries on to the parent");
    }
}
