namespace LegacyLonc.Child;

/// <summary>
/// Size limits that keep a child's memory bounded. 1.53 had none: a client or lond sending bytes without
/// a newline grew a Perl string until the machine swapped, and a client that never read its replies let them
/// pile up without end.
/// </summary>
public static class Limits
{
    /// <summary>Longest request line a client may send (1 MiB); longer ones get <c>con_lost</c> and are disconnected.</summary>
    public const int MaxRequestLine = 1 << 20;

    /// <summary>Longest reply line accepted from lond (16 MiB: lond's <c>dump</c> replies can be large).</summary>
    public const int MaxReplyLine = 16 << 20;

    /// <summary>Bytes read from a client per receive (Perl's POSIX::BUFSIZ was 8192).</summary>
    public const int ReceiveChunk = 8192;

    /// <summary>
    /// A client with this many reply bytes it has not read yet (1 MiB) is no longer read from, and its buffered
    /// requests wait, until it has taken its replies down to <see cref="ClientOutputLowWater"/>.
    /// </summary>
    public const int ClientOutputHighWater = 1 << 20;

    /// <summary>Unread reply bytes (256 KiB) below which a paused client is read from again.</summary>
    public const int ClientOutputLowWater = 256 << 10;

    /// <summary>
    /// With <c>loncPipelineDepth</c> above 1 a further request is written only while the requests in flight come to
    /// less than this (16 KiB, <c>encrypt:</c> ones doubling on the wire; the first is always written, however
    /// long). lond may be writing a long reply while the child writes more requests; were the requests it has not
    /// read more than the sockets' buffers hold (Linux: 16 KiB to send plus 64 KiB of receive window at the least),
    /// lond could block on a reply nobody reads yet while the child blocks writing to a lond that no longer reads,
    /// until the deadline.
    /// </summary>
    public const int BatchRequestBytes = 16 << 10;

    /// <summary>A buffer that grew past this (64 KiB) for one long line or reply goes back to its small size once it is done.</summary>
    public const int KeepBufferUpTo = 64 << 10;
}
