namespace LegacyLonc.Child;

/// <summary>
/// Size limits that keep a child's memory bounded. 1.53 had none: a client or lond sending bytes without
/// a newline grew a Perl string until the machine swapped.
/// </summary>
public static class Limits
{
    /// <summary>Longest request line a client may send (1 MiB); longer ones get <c>con_lost</c> and are disconnected.</summary>
    public const int MaxRequestLine = 1 << 20;

    /// <summary>Longest reply line accepted from lond (16 MiB: lond's <c>dump</c> replies can be large).</summary>
    public const int MaxReplyLine = 16 << 20;

    /// <summary>Bytes read from a client per receive (Perl's POSIX::BUFSIZ was 8192).</summary>
    public const int ReceiveChunk = 8192;
}
