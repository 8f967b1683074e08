namespace LegacyLonc.Testbed;

/// <summary>How a <see cref="LondEmulator"/> behaves; switchable while it runs (read at each decision).</summary>
/// <remarks>The fault behaviours act on requests only; the link setup (sethost:, version:, pong, ekey) is always answered.</remarks>
public enum LondBehaviour
{
    /// <summary>Full handshake, every request answered (see <see cref="LondEmulator"/> for the commands).</summary>
    Normal,
    /// <summary>Accepts and closes every connection at once, without a byte.</summary>
    Refuse,
    /// <summary>Handshake completes, then requests are read but never answered.</summary>
    Hang,
    /// <summary>
    /// Requests are left unanswered while this lasts (up to a minute), then answered in order once the behaviour
    /// changes: a lond that stops for a while and goes on, as a real one does, never skipping a reply. (Switching
    /// <see cref="Hang"/> back to <see cref="Normal"/> instead skips the replies of the requests it swallowed, which
    /// no lond does.)
    /// </summary>
    Stall,
    /// <summary>Answers the echoed challenge with <c>refused</c> instead of <c>ok</c>, then closes.</summary>
    BadChallenge,
    /// <summary>Answers <see cref="LondEmulatorOptions.DropAfter"/> requests per connection, then closes on the next one.</summary>
    DropAfterN,
    /// <summary>Answers every request after <see cref="LondEmulatorOptions.ReplyDelayMs"/>.</summary>
    Slow,
    /// <summary>Answers requests with malformed <c>enc:</c> lines (bad hex / length), in rotation.</summary>
    GarbageEnc,
    /// <summary>
    /// Answers requests with <see cref="LondEmulatorOptions.GarbageBytes"/> bytes and no newline, then keeps the link open
    /// (a reply flood when the count is past lonc's reply-line limit).
    /// </summary>
    GarbageNoNewline,
    /// <summary>Answers every request encrypted as <c>enc:&lt;len&gt;:&lt;hex&gt;</c> (plain before <c>ekey</c>).</summary>
    EncReplies,
    /// <summary>Accepts and reads, but never answers anything, not even <c>init</c> (lonc's init timeout).</summary>
    HangInit,
    /// <summary>Answers every request twice: the reply, then <c>extra-&lt;reply&gt;</c> in the same write (one line too many).</summary>
    DoubleReply,
    /// <summary>Answers every request, then <see cref="LondEmulatorOptions.ReplyDelayMs"/> later sends an unasked line <c>stray-&lt;reply&gt;</c>.</summary>
    StrayLine,
    /// <summary>Sends each reply (and its newline) one byte every <see cref="LondEmulatorOptions.ReplyDelayMs"/> ms.</summary>
    Trickle,
    /// <summary>Answers the echoed challenge with a line full of control characters (ESC, NUL, BEL) instead of <c>ok</c>, then closes.</summary>
    ControlInit,
    /// <summary>
    /// Answers requests (each after <see cref="LondEmulatorOptions.ReplyDelayMs"/>) until one contains
    /// <see cref="LondEmulatorOptions.FaultMarker"/>, then closes the connection without answering it (the replies
    /// before it are sent first): lond dropping the link in the middle of a batch.
    /// </summary>
    DropAtMarker,
    /// <summary>
    /// Answers requests (each after <see cref="LondEmulatorOptions.ReplyDelayMs"/>) until one contains
    /// <see cref="LondEmulatorOptions.FaultMarker"/>, then answers nothing more on that connection but keeps reading
    /// (the replies before it are sent first): a timeout in the middle of a batch.
    /// </summary>
    HangAtMarker,
    /// <summary>Closes a link that has been idle for <see cref="LondEmulatorOptions.ReplyDelayMs"/> ms (a lond restarted behind an idle lonc); the listener stays.</summary>
    CloseIdle,
    /// <summary>Answers the echoed challenge with a line full of markup (<c>&lt;script&gt;</c>, <c>&amp;</c>) instead of <c>ok</c>, then closes.</summary>
    MarkupInit,
    /// <summary>
    /// Answers every request encrypted (plain before <c>ekey</c>), the plain text holding a newline:
    /// <c>&lt;reply&gt;\nsplit-&lt;reply&gt;</c>, which a client would read as two lines.
    /// </summary>
    EncNewline,
    /// <summary>
    /// Answers <c>exit</c> with one line of markup followed by <see cref="LondEmulatorOptions.GarbageBytes"/> bytes
    /// (<c>bye&lt;script&gt;…&lt;/script&gt;zzz…</c>); other requests as <see cref="Normal"/>.
    /// </summary>
    LongExitReply,
}
