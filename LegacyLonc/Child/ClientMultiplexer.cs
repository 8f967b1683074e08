using System.Net.Sockets;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// The child's main loop, after the Perl Cookbook "nonforker" that 1.53 was built on: one Socket.Select over
/// the UNIX listener, every client, the lond link and the signal pipe; what the clients sent is read, then their
/// complete lines are relayed, taken round-robin across the clients (<see cref="ReadyClients"/>), each client's in
/// its own order; replies leave through per-client output buffers as they come. At <c>loncPipelineDepth</c> 1 (as
/// 1.53) each request is one blocking exchange: the request, its reply, the next. Above 1 the loop keeps a
/// <see cref="RequestWindow"/> of up to that many requests in flight: it writes what the clients sent behind the
/// requests still awaiting replies, and takes the replies when its select finds the busy link readable. No async
/// I/O and no threads: a slow lond stalls this host's clients exactly as it did in 1.53.
/// </summary>
/// <remarks>
/// Beyond 1.53: a client that does not read its replies is paused at <see cref="Limits.ClientOutputHighWater"/>
/// (the others go on being served); clients beyond the <see cref="DescriptorReserve"/> are answered
/// <c>con_lost</c> and closed; lond closing or talking on the idle link re-opens it before the next request; and
/// the requests the child answers itself (<c>reset_retries</c>, <c>close_connection_exit</c>) need no link.
/// </remarks>
public sealed class ClientMultiplexer
{
    private static readonly byte[] ConLost = "con_lost\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly RequestRelay _relay;
    private readonly ChildSignals _signals;
    private readonly LoncLog _log;
    private readonly Func<bool> _reopen;
    private readonly Action _statusRequested;
    private readonly DescriptorReserve _descriptors;
    private readonly RequestBatch _batch;
    private readonly RequestWindow? _window;
    private readonly ReadyClients _ready = new();
    private readonly Action<ClientConnection> _answered;
    private readonly Action<ClientConnection> _answeredInWindow;
    private readonly List<ClientConnection> _touched = new();
    private bool _ending;
    /// <summary>Lines a lone exchange's reply released wait in a client's buffer: the next select only polls.</summary>
    private bool _releasedLinesWait;
    private readonly int _acceptsPerTurn;
    private readonly Dictionary<Socket, ClientConnection> _clients = new();
    private readonly List<Socket> _readable = new();
    private readonly List<Socket> _writable = new();
    private readonly List<ClientConnection> _dropped = new();
    private readonly Stack<ClientConnection> _spare = new();
    private readonly byte[] _chunk = new byte[Limits.ReceiveChunk];
    private long _acceptPausedUntil;
    private bool _refusing;
    private long _refused;
    private readonly string _acceptStatus;
    private const int SpareConnections = 64;

    /// <param name="reopen">Re-opens the lond link (with delayed replay); false means give up (the child exits).</param>
    /// <param name="statusRequested">Writes the USR1 status line.</param>
    /// <param name="descriptors">How many clients the descriptor limit leaves room for.</param>
    /// <param name="pipelineDepth">Requests the lond link may have in flight (<c>loncPipelineDepth</c>; 1 = one at a time).</param>
    public ClientMultiplexer(Socket listener, RequestRelay relay, ChildSignals signals, LoncLog log,
        Func<bool> reopen, Action statusRequested, DescriptorReserve descriptors, int pipelineDepth = 1)
    {
        _listener = listener;
        _relay = relay;
        _signals = signals;
        _log = log;
        _reopen = reopen;
        _statusRequested = statusRequested;
        _descriptors = descriptors;
        _batch = new RequestBatch(pipelineDepth);
        _window = pipelineDepth > 1 ? new RequestWindow(pipelineDepth) : null;
        // lonnet connects once per request: with one request per exchange a second accept in a turn is a wasted
        // syscall (1.53 accepted one), with a window to fill it is what brings the requests together.
        _acceptsPerTurn = pipelineDepth;
        _answered = Answered;
        _answeredInWindow = AnsweredInWindow;
        _listener.Blocking = false;
        _acceptStatus = $"Accept new connection: {log.Conserver}";
    }

    /// <summary>Connected clients (for tests and status).</summary>
    public int ClientCount => _clients.Count;

    /// <summary>How the loop ended.</summary>
    public enum Exit { Stopped, CloseRequested, LinkLost }

    public Exit Run()
    {
        try
        {
            return _window is null ? RunOneAtATime() : RunWindowed(_window);
        }
        finally
        {
            _ready.Clear();
            _batch.Clear();
            _window?.Clear();
            foreach (var c in _clients.Values)
                c.Dispose();
            _clients.Clear();
        }
    }

    /// <summary>Depth 1, 1.53's loop: after each select turn every complete line is relayed, one blocking exchange after another.</summary>
    private Exit RunOneAtATime()
    {
        while (true)
        {
            if (_signals.StopRequested())
                return Exit.Stopped;
            if (_signals.TakeStatusRequest())
                _statusRequested();
            HeapTrim.TrimIfDue();
            // A second line after the last reply is already buffered: a protocol error, dealt with now.
            if (_relay.LinkHasBufferedBytes && !_relay.LinkReady() && !ReopenIdleLink())
                return Exit.LinkLost;

            var link = _relay.IdleLinkSocket;
            BuildSets(link);
            Socket.Select(_readable, _writable, null, _acceptPausedUntil > 0 ? 100_000 : -1);

            // lond has nothing to say while no request waits: readable means it closed the link or sent
            // something unasked. Either way the link is re-opened before any client's request is sent.
            if (link is not null && _readable.Contains(link))
            {
                // After exit lond's close is expected: the link waits closed for the next request.
                if (!_relay.LinkReady() && !_relay.ClosedAfterExit && !ReopenIdleLink())
                    return Exit.LinkLost;
            }
            else if (link is not null)
            {
                _relay.LinkSeenQuiet();
            }
            if (_readable.Contains(_listener))
                AcceptAndRead();
            foreach (var s in _readable)
            {
                if (s != _listener && s != link && _clients.TryGetValue(s, out var client))
                    Read(client);
            }
            foreach (var s in _writable)
            {
                if (_clients.TryGetValue(s, out var client))
                    FlushAndResume(client);
            }
            if (Dispatch() is { } exit)
                return exit;
            DropFinished();
        }
    }

    /// <summary>
    /// Depth N above 1: the select also watches the link while requests are in flight, and wakes at the oldest one's
    /// deadline at the latest. Each turn takes the replies that came (freeing room in the window), reads the clients,
    /// then writes up to the room left of their lines behind the requests still in flight. A failure answers every
    /// request in flight con_lost and re-opens the link before anything else is sent.
    /// </summary>
    private Exit RunWindowed(RequestWindow window)
    {
        while (true)
        {
            if (_signals.StopRequested())
            {
                if (!window.IsEmpty)
                {
                    _relay.AbandonWindow(window, LinkOutcome.Interrupted, _answeredInWindow);
                    FlushTouched();
                }
                return Exit.Stopped;
            }
            if (_signals.TakeStatusRequest())
                _statusRequested();
            HeapTrim.TrimIfDue();
            var busy = !window.IsEmpty;
            if (!busy)
            {
                if (_ending)
                    return CloseConnectionExit();
                // With nothing in flight the idle-link rule holds: a line after the last reply is a protocol error.
                if (_relay.LinkHasBufferedBytes && !_relay.LinkReady() && !ReopenIdleLink())
                    return Exit.LinkLost;
            }

            var link = busy ? _relay.BusyLinkSocket : _relay.IdleLinkSocket;
            BuildSets(link);
            Socket.Select(_readable, _writable, null, SelectTimeout(window));

            if (link is not null && _readable.Contains(link))
            {
                if (busy)
                {
                    var ok = _relay.TakeReplies(window, _answeredInWindow);
                    FlushTouched();
                    if (!ok && !_reopen())
                        return Exit.LinkLost;
                }
                else if (!_relay.LinkReady() && !_relay.ClosedAfterExit && !ReopenIdleLink())
                {
                    return Exit.LinkLost;
                }
            }
            else if (link is not null && !busy)
            {
                _relay.LinkSeenQuiet();
            }
            // Deadlines grow along the window: only the oldest request's can have passed first.
            if (!window.IsEmpty && MonotonicClock.Passed(window.HeadDeadline))
            {
                _relay.AbandonWindow(window, LinkOutcome.Timeout, _answeredInWindow);
                FlushTouched();
                if (!_reopen())
                    return Exit.LinkLost;
            }
            if (_readable.Contains(_listener))
                AcceptAndRead();
            foreach (var s in _readable)
            {
                if (s != _listener && s != link && _clients.TryGetValue(s, out var client))
                    Read(client);
            }
            foreach (var s in _writable)
            {
                if (_clients.TryGetValue(s, out var client))
                    FlushAndResume(client);
            }
            if (SendWindowed(window) is { } exit)
                return exit;
            DropFinished();
        }
    }

    /// <summary>Microseconds for the window's select: none while released lines wait, until the oldest request's deadline when one is in flight, 100 ms while accepts are paused, else for ever.</summary>
    private int SelectTimeout(RequestWindow window)
    {
        if (_releasedLinesWait)
            return 0;
        var timeout = _acceptPausedUntil > 0 ? 100_000 : -1;
        if (window.IsEmpty)
            return timeout;
        // Whole milliseconds, rounded up: select waits in milliseconds, and rounding down would spin before the deadline.
        var ms = Math.Ceiling(MonotonicClock.Until(window.HeadDeadline).TotalMilliseconds);
        var us = (int)Math.Min(ms * 1000, int.MaxValue);
        return timeout < 0 ? us : Math.Min(timeout, us);
    }

    /// <summary>
    /// Takes up to the window's room of complete lines round-robin (<see cref="CollectWindowed"/>) and writes them to
    /// lond in one go behind the requests in flight. With nothing in flight the link must be ready and quiet first
    /// (re-opened if not; when that fails, the batch is answered con_lost and the child gives up). A lone exchange
    /// (one client connected, nothing else in flight) waits for its reply in the receive, briefly
    /// (<see cref="LondLink.WindowReceiveWaitMs"/>), as depth 1 does: one system call less per request than a select
    /// first. Non-null ends the loop.
    /// </summary>
    private Exit? SendWindowed(RequestWindow window)
    {
        _releasedLinesWait = false;
        if (_ending || window.Room == 0 || _ready.Count == 0)
            return null;
        _batch.Open(window.Room, window.RequestBytes);
        CollectWindowed();
        Exit? exit = null;
        if (_batch.Count > 0)
        {
            // Waiting in the receive stalls every other client for a round trip: only one connected client may
            // (one that hung up this turn, as lonnet's last connection often has, is no longer counted).
            var lone = window.IsEmpty && _ready.Count == 0 && _clients.Count - _dropped.Count == 1;
            if (window.IsEmpty && !_relay.LinkReady() && !_reopen())
            {
                _relay.AnswerUnsent(_batch, _answeredInWindow);
                exit = Exit.LinkLost;
            }
            else if (!_relay.SendBehind(_batch, window, _answeredInWindow))
            {
                if (!_reopen())
                    exit = Exit.LinkLost;
            }
            else if (lone)
            {
                if (!_relay.TakeReplies(window, _answeredInWindow) && !_reopen())
                    exit = Exit.LinkLost;
                // A reply taken here may have released its client's held request and the lines behind it: they are
                // buffered already, so no select would wake for them; the next one only polls.
                _releasedLinesWait = _ready.Count > 0;
            }
        }
        // The requests the child answered itself, the replies of a lone exchange and the con_lost of a failed write
        // leave now.
        FlushTouched();
        HeapTrim.Released(_batch.Clear());
        return exit;
    }

    /// <summary>
    /// Fills the batch for the window round-robin, like <see cref="Collect"/>, but a request the child answers itself
    /// is answered only once every earlier request of its client has its reply (until then it is held, and that
    /// client's later lines wait); <c>close_connection_exit</c> ends the taking: the child exits once every request
    /// in flight is answered.
    /// </summary>
    private void CollectWindowed()
    {
        while (!_batch.IsFull && _ready.TryTake(out var client))
        {
            if (client.Gone || client.Closing || client.ReadingPaused || client.Held is not null)
                continue;
            if (client.Input.TryTakeLine(out var line))
            {
                var kind = RequestRelay.Classify(line.Span);
                if (kind == RequestKind.CloseConnectionExit)
                {
                    _ending = true;
                    return;
                }
                if (kind == RequestKind.Lond)
                {
                    _batch.Add(client, kind, line);
                    client.Unanswered++;
                    _ready.Add(client);
                }
                else
                {
                    AnswerOrHold(client, kind);
                }
                continue;
            }
            if (client.Input.Overflowed || client.Input.HeadLineTooLong)
            {
                _log.Warning(
                    $"client of {_log.Conserver} sent more than {Limits.MaxRequestLine} bytes without a newline; answering con_lost and disconnecting");
                // Not read again; its requests in flight are still answered, then con_lost, then it is closed.
                client.Input.Clear();
                client.Closing = true;
                AnswerOrHold(client, RequestKind.Oversized);
                continue;
            }
            HeapTrim.Released(client.Input.Shrink(Limits.KeepBufferUpTo));
        }
    }

    /// <summary>A request the child answers itself: now when none of the client's is in flight, else once they are answered.</summary>
    private void AnswerOrHold(ClientConnection client, RequestKind kind)
    {
        if (client.Unanswered > 0)
        {
            client.Held = kind;
            return;
        }
        _relay.AnswerLocally(client, kind);
        MarkTouched(client);
        if (!client.Closing)
            _ready.Add(client);
    }

    /// <summary>One of the client's requests in flight has its answer (in its output): it is written at the end of the step; a held local request may follow it now.</summary>
    private void AnsweredInWindow(ClientConnection client)
    {
        client.Unanswered--;
        MarkTouched(client);
        if (client.Unanswered > 0 || client.Held is not { } held)
            return;
        client.Held = null;
        _relay.AnswerLocally(client, held);
        if (!client.Gone && !client.Closing)
            _ready.Add(client);
    }

    private void MarkTouched(ClientConnection client)
    {
        if (client.Touched)
            return;
        client.Touched = true;
        _touched.Add(client);
    }

    /// <summary>Writes the answers given in this step, one send per client however many it got (or drops them for a client that is gone).</summary>
    private void FlushTouched()
    {
        foreach (var c in _touched)
        {
            c.Touched = false;
            Answered(c);
        }
        _touched.Clear();
    }

    /// <summary><c>close_connection_exit</c> with every request before it answered: logged, what is answered leaves, the child exits.</summary>
    private Exit CloseConnectionExit()
    {
        _relay.AnnounceCloseConnectionExit();
        foreach (var c in _clients.Values)
            Flush(c);
        return Exit.CloseRequested;
    }

    /// <summary>
    /// Re-opens a link lost while idle. lond going away with nobody waiting is mostly a lond restart, and lond
    /// may not listen again yet: then the child stays up with the link closed, and the next request tries again
    /// (giving the child up only if that fails too), instead of exiting and leaving its host without service for
    /// a whole fail sleep. False only when a stop signal arrived.
    /// </summary>
    private bool ReopenIdleLink()
    {
        if (_reopen())
            return true;
        if (_signals.StopRequested())
            return false;
        _log.Warning($"lond {_log.Conserver} is not back yet; the next request will try again");
        return true;
    }

    private void BuildSets(Socket? link)
    {
        _readable.Clear();
        _writable.Clear();
        if (_acceptPausedUntil == 0 || MonotonicClock.Passed(_acceptPausedUntil))
        {
            _acceptPausedUntil = 0;
            _readable.Add(_listener);
        }
        _readable.Add(_signals.WakeSocket);
        if (link is not null)
            _readable.Add(link);
        foreach (var (socket, client) in _clients)
        {
            // A client with lines still waiting for the window (in the ready queue, or behind a held request) is
            // read again once they are taken: its buffer never holds more than one receive beyond them. (At depth 1
            // the queue is empty here and nothing is held.)
            if (!client.Closing && !client.ReadingPaused && !client.Waiting && client.Held is null)
                _readable.Add(socket);
            if (!client.Output.IsEmpty)
                _writable.Add(socket);
        }
    }

    /// <summary>Accepts one client (null when none is waiting, accepts are paused, or it was refused).</summary>
    private ClientConnection? AcceptOne()
    {
        _log.Status(_acceptStatus);
        Socket accepted;
        try
        {
            accepted = _listener.Accept();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return null;
        }
        catch (SocketException e)
        {
            // Out of descriptors (EMFILE/ENFILE) and the like: the listener stays readable, so stop
            // watching it briefly instead of spinning; the waiting client is accepted later.
            _log.Warning($"accept failed on {_log.Conserver}: {SystemErrorText.Of(e)}; pausing accepts for 100 ms");
            _acceptPausedUntil = MonotonicClock.After(TimeSpan.FromMilliseconds(100));
            return null;
        }
        accepted.Blocking = false;
        if (_clients.Count >= _descriptors.MaxClients)
        {
            Refuse(accepted);
            return null;
        }
        if (_refusing)
        {
            _log.Log($"{_log.Conserver} accepting clients again ({_refused} refused while full)");
            _refusing = false;
        }
        // 1.53 asked for SO_KEEPALIVE "to monitor liveness"; the kernel ignores it on AF_UNIX.
        accepted.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        var client = _spare.TryPop(out var reused) ? reused.Attach(accepted) : new ClientConnection(accepted);
        _clients[accepted] = client;
        return client;
    }

    /// <summary>
    /// Too many clients for the descriptors left: the newcomer hears <c>con_lost</c> (lonnet's answer for "no
    /// service", so a critical message is spooled) and is closed. Logged once per episode, while the reserve
    /// still holds a descriptor for lonc.log.
    /// </summary>
    private void Refuse(Socket accepted)
    {
        if (!_refusing)
        {
            _refusing = true;
            _refused = 0;
            _log.Warning(
                $"{_log.Conserver} has {_clients.Count} clients, all that RLIMIT_NOFILE {_descriptors.Limit} allows " +
                $"with {_descriptors.InUse} descriptors in use at start and {DescriptorReserve.Reserve} in reserve: refusing new clients with con_lost");
        }
        _refused++;
        accepted.Send(ConLost, SocketFlags.None, out _);
        accepted.Dispose();
    }

    /// <summary>
    /// Accepts up to one client per request a batch may hold — one at depth 1, as 1.53 did: lonnet's one-shot
    /// clients make a second, failing accept a wasted syscall per request, and a burst is drained by the following
    /// turns — and reads each one's request at once: lonnet writes it right after connecting, so a would-block costs
    /// one cheap recv instead of a poll and a wake-up.
    /// </summary>
    private void AcceptAndRead()
    {
        for (var i = 0; i < _acceptsPerTurn && _acceptPausedUntil == 0; i++)
        {
            // Select said readable for the first; for the next a zero-time poll, cheaper than the exception .NET
            // throws for an accept that would block — and only in a busy child: with the first its one client,
            // lonnet's next connection usually comes after this one's reply, and the poll would be wasted.
            if (i > 0 && (_clients.Count - _dropped.Count <= 1 || !_listener.Poll(0, SelectMode.SelectRead)))
                return;
            if (AcceptOne() is not { } fresh)
                return;
            Read(fresh);
        }
    }

    /// <summary>Reads what the client sent into its input buffer; the lines are relayed by <see cref="Dispatch"/>.</summary>
    private void Read(ClientConnection client)
    {
        // Receive into one shared chunk and copy only what arrived: a lonnet request is ~50 bytes, and
        // sizing every short-lived client's buffer for a full chunk cost 8 KiB per connection.
        var n = client.Socket.Receive(_chunk, SocketFlags.None, out var err);
        if (err == SocketError.WouldBlock || err == SocketError.Interrupted)
            return;
        if (n <= 0 || err != SocketError.Success)
        {
            // EOF or error: forget this client, its unsent replies and its unanswered requests.
            Drop(client);
            _log.Status("Idle");
            return;
        }
        client.Input.Append(_chunk.AsSpan(0, n));
        _ready.Add(client);
    }

    /// <summary>
    /// Relays every complete line the clients have sent, batch after batch, until none is left (or a client's
    /// unread replies reach the high-water mark: then it is paused, and the rest of its lines wait in its buffer).
    /// Non-null ends the loop.
    /// </summary>
    private Exit? Dispatch()
    {
        while (_ready.Count > 0)
        {
            Collect();
            if (_batch.Count == 0)
                continue;
            var exit = RunBatch();
            HeapTrim.Released(_batch.Clear());
            if (exit is not null)
                return exit;
        }
        return null;
    }

    /// <summary>
    /// Fills the batch round-robin: one line from the client at the front of the queue, which goes to the back if
    /// it may have more. A client without a complete line leaves the queue (after the line-limit check); a paused,
    /// closing or gone one contributes nothing.
    /// </summary>
    private void Collect()
    {
        while (!_batch.IsFull && _ready.TryTake(out var client))
        {
            if (client.Gone || client.Closing || client.ReadingPaused)
                continue;
            if (client.Input.TryTakeLine(out var line))
            {
                _batch.Add(client, RequestRelay.Classify(line.Span), line);
                _ready.Add(client);
                continue;
            }
            if (client.Input.Overflowed || client.Input.HeadLineTooLong)
            {
                _log.Warning(
                    $"client of {_log.Conserver} sent more than {Limits.MaxRequestLine} bytes without a newline; answering con_lost and disconnecting");
                // Its lines already in the batch stay valid: clearing moves no byte, and it is not read again.
                client.Input.Clear();
                _batch.Add(client, RequestKind.Oversized, default);
                continue;
            }
            HeapTrim.Released(client.Input.Shrink(Limits.KeepBufferUpTo));
        }
    }

    /// <summary>
    /// One lond exchange for the batch. Requests for lond need the link: it is re-opened first if it has to be
    /// (giving up, after answering con_lost, when that fails); a batch the child answers alone never touches it,
    /// so <c>reset_retries</c> is answered even while lond is down. Non-null ends the loop.
    /// </summary>
    private Exit? RunBatch()
    {
        var needsLink = _batch.LondCount > 0;
        if (needsLink && !_relay.LinkReady() && !_reopen())
        {
            _relay.Relay(_batch, _answered);
            return Exit.LinkLost;
        }
        var verdict = _relay.Relay(_batch, _answered);
        if (verdict == RequestRelay.Verdict.Exit)
        {
            // Everything before close_connection_exit is answered; let it leave before the child does.
            foreach (var c in _clients.Values)
                Flush(c);
            return Exit.CloseRequested;
        }
        // The con_lost replies went out as they were given; the re-open may take a handshake's time.
        if (needsLink && _relay.NeedsReopen && !_reopen())
            return Exit.LinkLost;
        return null;
    }

    /// <summary>The client's replies of this batch are in its output: they leave now, or are dropped if it is gone.</summary>
    private void Answered(ClientConnection client)
    {
        if (client.Gone)
        {
            // Read from lond to keep the replies after it in step, and let go.
            client.Output.Clear();
            return;
        }
        Flush(client);
        if (client.Output.Length >= Limits.ClientOutputHighWater)
            client.ReadingPaused = true;
    }

    /// <summary>Writes what the client can take; a paused client that took enough is resumed on the lines it already sent.</summary>
    private void FlushAndResume(ClientConnection client)
    {
        Flush(client);
        if (client.ReadingPaused && !client.Gone && client.Output.Length <= Limits.ClientOutputLowWater)
        {
            client.ReadingPaused = false;
            _ready.Add(client);
        }
    }

    private void Flush(ClientConnection client)
    {
        if (client.Gone)
            return;
        while (!client.Output.IsEmpty)
        {
            var sent = client.Socket.Send(client.Output.Pending, SocketFlags.None, out var err);
            if (err == SocketError.WouldBlock || err == SocketError.Interrupted)
                return;
            if (err != SocketError.Success || sent <= 0)
            {
                // The client hung up mid-reply: only it is affected.
                Drop(client);
                return;
            }
            client.Output.Consume(sent);
        }
        HeapTrim.Released(client.Output.Shrink(Limits.KeepBufferUpTo));
        // With a window, a closing client may still await answers to requests in flight before its con_lost.
        if (client.Closing && client.Unanswered == 0 && client.Held is null)
            Drop(client);
    }

    /// <summary>Marks the client gone; it is closed at the end of this loop turn (a batch may still name it).</summary>
    private void Drop(ClientConnection client)
    {
        if (client.Gone)
            return;
        client.Gone = true;
        _dropped.Add(client);
    }

    private void DropFinished()
    {
        foreach (var c in _dropped)
        {
            if (!_clients.Remove(c.Socket))
                continue;
            c.Dispose();
            // Keep a few connections for the next clients (lonnet connects once per request), but never
            // buffers that grew for one of them.
            c.Input.Clear();
            c.Output.Clear();
            c.ShrinkBuffers();
            // One with requests still in flight is named in the window: its replies must find it gone, not reused.
            if (_spare.Count < SpareConnections && c.Unanswered == 0)
                _spare.Push(c);
        }
        _dropped.Clear();
    }
}
