namespace LegacyLonc.Child;

/// <summary>How one lond transaction ended.</summary>
public enum LinkOutcome
{
    /// <summary>A complete reply line arrived.</summary>
    Reply,
    /// <summary>No reply within the transaction's time (1.53: alarm → "suiciding on read Timeout").</summary>
    Timeout,
    /// <summary>lond closed the connection, or the socket failed.</summary>
    Closed,
    /// <summary>lond sent more than <see cref="Limits.MaxReplyLine"/> bytes without a newline.</summary>
    Oversized,
    /// <summary>A signal asked the child to stop while it waited.</summary>
    Interrupted,
}
