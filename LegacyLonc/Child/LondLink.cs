using System.Net;
using System.Net.Sockets;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// The child's one blocking TCP connection to the remote lond, and <c>londtransaction</c>: write a line,
/// read one line back within a deadline. With <c>loncPipelineDepth</c> above 1 the main loop keeps a window of
/// requests in flight instead: <see cref="SendMore"/> writes more lines while replies are pending, and when its
/// select finds the link readable, <see cref="ReceiveAvailable"/> and <see cref="TryTakeReply"/> take the replies
/// that came, in order. 1.53 bounded each half with alarm(); a
/// signal cannot interrupt a blocking .NET Receive, so the socket carries a short receive timeout (at most
/// <see cref="WaitSliceMs"/> ms, less when the deadline is nearer) and the loop looks at the deadline and the stop flag after every receive, so a
/// lond trickling one byte at a time cannot stretch a transaction either. After anything but a reply the link is
/// in an unknown state: it is closed at once, so a late reply can never reach anybody.
/// </summary>
/// <remarks>
/// <para>Everything here is synchronous on purpose: one async call (ConnectAsync) registers the socket with .NET's
/// epoll thread for good, and every reply then also wakes that thread and the thread pool (measured: ~30
/// sched_yield calls per relayed request). The connect is a non-blocking connect(2) and poll(2) on this thread
/// (<see cref="TcpConnect"/>); the socket is blocking again before .NET sees it.</para>
/// <para>Of the state changes (<see cref="LinkState"/>) only one that explains a
/// failure is logged (<c>lond link &lt;host&gt;: &lt;from&gt; -&gt; closed: &lt;why&gt;</c>): a healthy connect and a clean
/// stop cost no more lines than in 1.53 (loncron keeps the last 40,000 bytes of lonc.log), and a failure the caller
/// reports in its own line with the reason and the state (a failed connect, lond closing an idle link) costs no
/// second line.</para>
/// </remarks>
public sealed class LondLink : IDisposable
{
    /// <summary>The longest (ms) one blocking receive, send or connect poll waits before the loop looks at the deadline and the stop flag.</summary>
    public const int WaitSliceMs = 250;

    /// <summary>
    /// The longest one receive of a window (<c>loncPipelineDepth</c> above 1) waits, in ms. After the main loop's
    /// select found the link readable it does not wait at all; after a lone exchange was written (one client
    /// connected, nothing else in flight) it waits here for the reply, as depth 1 does, instead of a select's poll first. A lond
    /// slower than this leaves the reply to the select. One value for both keeps the socket's receive timeout
    /// unchanged from request to request (no setsockopt per request).
    /// </summary>
    public const int WindowReceiveWaitMs = 2;
    private const int InitialBuffer = 16 * 1024;
    private const int ReceiveAtLeast = 4096;

    private readonly string _host;
    private readonly LoncLog? _log;
    private readonly Func<bool>? _stopRequested;
    private Socket? _socket;
    private LineBuffer _in = new(Limits.MaxReplyLine, InitialBuffer);
    private byte[] _scratch = new byte[256];
    private int _receiveTimeoutMs;
    private int _sendTimeoutMs;
    private long _deadline;
    private TimeSpan _timeout;
    private bool _quietSeen;

    /// <param name="host">The host id, named in every log line about this link.</param>
    /// <param name="log">Where state changes are logged (none in unit tests).</param>
    /// <param name="stopRequested">Polled between waits: true once INT/TERM asked the child to stop.</param>
    public LondLink(string host, LoncLog? log, Func<bool>? stopRequested)
    {
        _host = host;
        _log = log;
        _stopRequested = stopRequested;
    }

    /// <summary>The host id this link goes to.</summary>
    public string Host => _host;

    /// <summary>Where the link stands now.</summary>
    public LinkState State { get; private set; } = LinkState.Closed;

    /// <summary>The state in which the last failure happened (for the failure's log line).</summary>
    public LinkState FailedIn { get; private set; }

    /// <summary>True when the link cannot carry a request: closed after a failure, or never opened.</summary>
    public bool IsBroken => State == LinkState.Closed;

    /// <summary>The socket to watch while the link is idle (ready): lond has nothing to say then, so readable means trouble.</summary>
    public Socket? IdleSocket => State == LinkState.Ready ? _socket : null;

    /// <summary>The socket to watch while requests are in flight (busy, <c>loncPipelineDepth</c> above 1): readable means replies.</summary>
    public Socket? BusySocket => State == LinkState.Busy ? _socket : null;

    /// <summary>
    /// The main loop's select just returned without this idle link among the readable sockets: that poll is as
    /// fresh a "nothing unread" as <see cref="CheckQuiet"/>'s own, so the next check may rely on it instead of a
    /// second poll (one system call less per request). Good until the next <see cref="Send"/>.
    /// </summary>
    public void SawQuiet()
    {
        if (State == LinkState.Ready)
            _quietSeen = true;
    }

    /// <summary>True when bytes lond sent are buffered but were never asked for (a second line after a reply).</summary>
    public bool HasBufferedBytes => State == LinkState.Ready && _in.PendingBytes > 0;

    /// <summary>
    /// Connects to lond at <paramref name="endpoint"/> within <paramref name="timeout"/> (1.53 had no limit but the
    /// kernel's); INT/TERM end the wait. Closed → connecting → handshaking on success; closed again and a reason on failure.
    /// </summary>
    public bool Open(IPEndPoint endpoint, TimeSpan timeout, out string error)
    {
        if (State != LinkState.Closed)
            throw new InvalidOperationException($"lond link {_host} is {Name(State)}, not closed");
        State = LinkState.Connecting;
        var deadline = MonotonicClock.After(timeout);
        using var connect = TcpConnect.Start(endpoint, out var why);
        if (connect is null)
            return FailOpen($"connect to {endpoint}: {why}", out error);
        while (!connect.Wait(SliceUntil(deadline)))
        {
            if (_stopRequested?.Invoke() == true)
                return FailOpen($"connect to {endpoint} interrupted by a stop signal", out error);
            if (MonotonicClock.Passed(deadline))
                return FailOpen($"connect to {endpoint} timed out after {timeout.TotalSeconds:0} s", out error);
        }
        var socket = connect.Finish(out why);
        if (socket is null)
            return FailOpen($"connect to {endpoint}: {why}", out error);
        socket.NoDelay = true;
        _socket = socket;
        _receiveTimeoutMs = _sendTimeoutMs = 0;
        State = LinkState.Handshaking;
        error = "";
        return true;
    }

    private bool FailOpen(string reason, out string error)
    {
        error = reason;
        FailedIn = LinkState.Connecting;
        // The caller's "Couldn't connect" line carries the reason.
        Shut();
        return false;
    }

    /// <summary>The init dialogue succeeded: handshaking → ready.</summary>
    public void MarkReady()
    {
        if (State != LinkState.Handshaking)
            throw new InvalidOperationException($"lond link {_host} is {Name(State)}, not handshaking");
        State = LinkState.Ready;
    }

    /// <summary>
    /// Sends <paramref name="request"/> (plus "\n" unless it ends in one) and waits for one reply line, all within
    /// <paramref name="timeout"/>. Anything but <see cref="LinkOutcome.Reply"/> closes the link.
    /// </summary>
    public LinkOutcome Transaction(ReadOnlySpan<byte> request, TimeSpan timeout, out ReadOnlyMemory<byte> reply)
    {
        reply = default;
        var outcome = Send(request, timeout, appendNewline: !EndsWithNewline(request));
        if (outcome == LinkOutcome.Reply)
            outcome = ReadReply(out reply);
        if (outcome == LinkOutcome.Reply)
            EndExchange();
        return outcome;
    }

    /// <summary>
    /// Starts an exchange: writes <paramref name="lines"/> (one request line or a batch of them, each ending in
    /// "\n") in one go and sets the exchange's one deadline, <paramref name="timeout"/> from now, for the send and
    /// every reply (<see cref="ReadReply"/>). A ready link is busy until <see cref="EndExchange"/>. Anything but
    /// <see cref="LinkOutcome.Reply"/> (= all sent) closes the link.
    /// </summary>
    public LinkOutcome Send(ReadOnlySpan<byte> lines, TimeSpan timeout, bool appendNewline = false)
    {
        if (State is not (LinkState.Ready or LinkState.Handshaking) || _socket is null)
            return LinkOutcome.Closed;
        if (State == LinkState.Ready)
            State = LinkState.Busy;
        _quietSeen = false;
        _timeout = timeout;
        _deadline = MonotonicClock.After(timeout);
        var outcome = SendAll(lines, _deadline, appendNewline, out var failure);
        if (outcome != LinkOutcome.Reply)
            Fail(outcome, failure);
        return outcome;
    }

    /// <summary>
    /// The next reply line of the exchange <see cref="Send"/> started, within its deadline. lond answers a
    /// connection's lines in the order it read them, so the k-th call returns the reply to the k-th line sent.
    /// The memory is valid until the next call. Anything but <see cref="LinkOutcome.Reply"/> closes the link.
    /// </summary>
    public LinkOutcome ReadReply(out ReadOnlyMemory<byte> reply)
    {
        reply = default;
        if (State is not (LinkState.Busy or LinkState.Handshaking) || _socket is null)
            return LinkOutcome.Closed;
        var outcome = ReadLine(_deadline, out reply, out var failure);
        if (outcome != LinkOutcome.Reply)
            Fail(outcome, failure);
        return outcome;
    }

    /// <summary>
    /// For a window of requests in flight (<c>loncPipelineDepth</c> above 1): writes <paramref name="lines"/> (each
    /// ending in "\n") in one go behind those already sent, by <paramref name="deadline"/> (the oldest request's).
    /// Ready → busy; a busy link stays busy until <see cref="EndExchange"/>. <paramref name="timeout"/> is named in
    /// the log line when a reply later fails to come in time. Anything but <see cref="LinkOutcome.Reply"/> (= all
    /// sent) closes the link.
    /// </summary>
    public LinkOutcome SendMore(ReadOnlySpan<byte> lines, long deadline, TimeSpan timeout)
    {
        if (State is not (LinkState.Ready or LinkState.Busy) || _socket is null)
            return LinkOutcome.Closed;
        if (State == LinkState.Ready)
            State = LinkState.Busy;
        _quietSeen = false;
        _timeout = timeout;
        var outcome = SendAll(lines, deadline, appendNewline: false, out var failure);
        if (outcome != LinkOutcome.Reply)
            Fail(outcome, failure);
        return outcome;
    }

    /// <summary>
    /// For a window of requests in flight: one receive of what lond sent, waiting at most
    /// <see cref="WindowReceiveWaitMs"/> (less when <paramref name="deadline"/> is nearer) — called when the main
    /// loop's select found the busy link readable, or right after a lone exchange was written. The complete lines
    /// are then taken with <see cref="TryTakeReply"/>. <see cref="LinkOutcome.Reply"/> when the link is still good
    /// (bytes or not); lond closing it or an error closes the link.
    /// </summary>
    public LinkOutcome ReceiveAvailable(long deadline)
    {
        if (State != LinkState.Busy || _socket is null)
            return LinkOutcome.Closed;
        // SliceUntil is 0 once the deadline passed, and a receive timeout of 0 means "wait for ever".
        var sliceMs = Math.Clamp(SliceUntil(deadline), 1, WindowReceiveWaitMs);
        if (sliceMs != _receiveTimeoutMs)
        {
            _socket.ReceiveTimeout = sliceMs;
            _receiveTimeoutMs = sliceMs;
        }
        var n = _socket.Receive(_in.GetWriteSpan(ReceiveAtLeast), SocketFlags.None, out var err);
        if (err is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            return LinkOutcome.Reply;
        if (err != SocketError.Success || n == 0)
        {
            Fail(LinkOutcome.Closed, n == 0 && err == SocketError.Success ? "lond closed the connection" : $"receive failed: {err}");
            return LinkOutcome.Closed;
        }
        _in.Commit(n);
        return LinkOutcome.Reply;
    }

    /// <summary>
    /// The next complete reply line already received (<see cref="ReceiveAvailable"/>), newline included; valid until
    /// the next call that reads from or receives into the link. False when no complete line is buffered.
    /// </summary>
    public bool TryTakeReply(out ReadOnlyMemory<byte> reply)
    {
        if (!_in.TryTakeLine(out reply))
            return false;
        // The reply still points into the old array; the buffer itself goes back to its small size.
        HeapTrim.Released(_in.Shrink(Limits.KeepBufferUpTo));
        return true;
    }

    /// <summary>True when what is buffered will never make a reply line: more than <see cref="Limits.MaxReplyLine"/> bytes without a newline.</summary>
    public bool ReplyTooLong => _in.Overflowed || _in.HeadLineTooLong;

    /// <summary>
    /// For a window of requests in flight: the exchange failed for a reason found outside this class (the oldest
    /// request's deadline passed, a stop signal, a reply too long): busy → closed, logged with the reason
    /// (<see cref="LinkOutcome.Timeout"/>: "no reply within …").
    /// </summary>
    public void Abandon(LinkOutcome outcome, string failure) => Fail(outcome, failure);

    /// <summary>Every reply of the exchange was read: busy → ready (a handshaking link stays handshaking).</summary>
    public void EndExchange()
    {
        if (State == LinkState.Busy)
            State = LinkState.Ready;
    }

    private void Fail(LinkOutcome outcome, string failure)
    {
        FailedIn = State;
        Close(outcome == LinkOutcome.Timeout ? $"no reply within {_timeout.TotalSeconds:0.###} s" : failure);
    }

    /// <summary>
    /// Before a request on a ready link: true when nothing unread is buffered and nothing is readable on the socket
    /// (a zero-timeout poll). Otherwise the link is closed, and <paramref name="unread"/> holds what lond sent
    /// unasked (empty when it closed the connection).
    /// </summary>
    public bool CheckQuiet(out byte[] unread)
    {
        unread = Array.Empty<byte>();
        if (State != LinkState.Ready || _socket is null)
            return false;
        var sawQuiet = _quietSeen;
        _quietSeen = false;
        if (_in.PendingBytes == 0 && (sawQuiet || !_socket.Poll(0, SelectMode.SelectRead)))
            return true;
        if (_in.PendingBytes == 0)
        {
            // Readable: data or EOF is there, so this receive does not block.
            var n = _socket.Receive(_in.GetWriteSpan(ReceiveAtLeast), SocketFlags.None, out var err);
            if (err == SocketError.Success && n > 0)
                _in.Commit(n);
        }
        FailedIn = State;
        if (_in.PendingBytes == 0)
        {
            // The caller says so (lond's restart, or its close after exit), naming the state.
            Shut();
            return false;
        }
        unread = _in.Peek(PeerText.MaxQuoted + 1).ToArray();
        // The caller logs the bytes as a protocol error, naming the state.
        Shut();
        return false;
    }

    private LinkOutcome ReadLine(long deadline, out ReadOnlyMemory<byte> reply, out string failure)
    {
        failure = "";
        while (true)
        {
            if (_in.TryTakeLine(out reply))
            {
                // The reply still points into the old array; the buffer itself goes back to its small size.
                HeapTrim.Released(_in.Shrink(Limits.KeepBufferUpTo));
                return LinkOutcome.Reply;
            }
            if (_in.Overflowed || _in.HeadLineTooLong)
            {
                failure = $"reply longer than {Limits.MaxReplyLine} bytes without a newline";
                return LinkOutcome.Oversized;
            }
            if (_stopRequested?.Invoke() == true)
            {
                failure = "interrupted by a stop signal";
                return LinkOutcome.Interrupted;
            }
            var sliceMs = SliceUntil(deadline);
            if (sliceMs == 0)
                return LinkOutcome.Timeout;
            if (sliceMs != _receiveTimeoutMs)
            {
                _socket!.ReceiveTimeout = sliceMs;
                _receiveTimeoutMs = sliceMs;
            }
            var n = _socket!.Receive(_in.GetWriteSpan(ReceiveAtLeast), SocketFlags.None, out var err);
            if (err is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
                continue;
            if (err != SocketError.Success || n == 0)
            {
                failure = n == 0 && err == SocketError.Success ? "lond closed the connection" : $"receive failed: {err}";
                return LinkOutcome.Closed;
            }
            _in.Commit(n);
        }
    }

    private LinkOutcome SendAll(ReadOnlySpan<byte> data, long deadline, bool appendNewline, out string failure)
    {
        failure = "";
        if (appendNewline)
        {
            // One write for line and terminator, as Perl's print "$request\n" did.
            if (_scratch.Length < data.Length + 1)
                _scratch = new byte[Math.Max(data.Length + 1, _scratch.Length * 2)];
            data.CopyTo(_scratch);
            _scratch[data.Length] = (byte)'\n';
            data = _scratch.AsSpan(0, data.Length + 1);
        }
        while (data.Length > 0)
        {
            var sliceMs = SliceUntil(deadline);
            if (sliceMs == 0)
                return LinkOutcome.Timeout;
            if (sliceMs != _sendTimeoutMs)
            {
                _socket!.SendTimeout = sliceMs;
                _sendTimeoutMs = sliceMs;
            }
            var n = _socket!.Send(data, SocketFlags.None, out var err);
            if (err is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                // lond is not reading (its buffer is full): 1.53's "suiciding on send Timeout" case.
                data = data[Math.Max(n, 0)..];
                if (_stopRequested?.Invoke() == true)
                {
                    failure = "interrupted by a stop signal";
                    return LinkOutcome.Interrupted;
                }
                continue;
            }
            if (err != SocketError.Success)
            {
                failure = $"send failed: {err}";
                return LinkOutcome.Closed;
            }
            data = data[n..];
        }
        if (_scratch.Length > Limits.KeepBufferUpTo)
        {
            HeapTrim.Released(_scratch.Length);
            _scratch = new byte[256];
        }
        return LinkOutcome.Reply;
    }

    /// <summary>Milliseconds to wait next: the rest of the time to <paramref name="deadline"/>, at most one slice; 0 once it passed.</summary>
    private static int SliceUntil(long deadline)
    {
        var left = MonotonicClock.Until(deadline);
        if (left <= TimeSpan.Zero)
            return 0;
        return (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, WaitSliceMs);
    }

    private static bool EndsWithNewline(ReadOnlySpan<byte> s) => s.Length > 0 && s[^1] == (byte)'\n';

    /// <summary>
    /// shutdown(2) and close, as 1.53 did with <c>$remotesock-&gt;shutdown(2)</c>; whatever lond sends later is
    /// discarded with the socket. Logs the change to closed with <paramref name="why"/>: a failure's explanation.
    /// </summary>
    public void Close(string why)
    {
        var from = State;
        Shut();
        if (from != LinkState.Closed)
            _log?.Log($"lond link {_host}: {Name(from)} -> {Name(LinkState.Closed)}: {why}");
    }

    /// <summary><see cref="Close"/> without a line: the link is closed on request, or its caller logs why.</summary>
    private void Shut()
    {
        if (_socket is not null)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            _socket.Dispose();
            _socket = null;
        }
        if (_in.Capacity > Limits.KeepBufferUpTo)
        {
            HeapTrim.Released(_in.Capacity);
            _in = new LineBuffer(Limits.MaxReplyLine, InitialBuffer);
        }
        else
        {
            _in.Clear();
        }
        State = LinkState.Closed;
    }

    /// <summary>The state as it appears in log lines: its name in lower case.</summary>
    public static string Name(LinkState state) => state switch
    {
        LinkState.Closed => "closed",
        LinkState.Connecting => "connecting",
        LinkState.Handshaking => "handshaking",
        LinkState.Ready => "ready",
        _ => "busy",
    };

    /// <summary>Closes the link without a line (the child is stopping or replaced it).</summary>
    public void Dispose() => Shut();
}
