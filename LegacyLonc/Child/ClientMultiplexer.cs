using System.Net.Sockets;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// The child's main loop, after the Perl Cookbook "nonforker" that 1.53 was built on: one Socket.Select over
/// the UNIX listener, every client, the idle lond link and the signal pipe; complete lines are relayed in order,
/// replies leave through per-client output buffers. No async I/O and no threads: a slow lond stalls this host's
/// clients exactly as it did in 1.53.
/// </summary>
/// <remarks>
/// Beyond 1.53: a client that does not read its replies is paused at <see cref="Limits.ClientOutputHighWater"/>
/// (the others go on being served); clients beyond the <see cref="DescriptorReserve"/> are answered
/// <c>con_lost</c> and closed; and lond closing or talking on the idle link re-opens it before the next request.
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
    public ClientMultiplexer(Socket listener, RequestRelay relay, ChildSignals signals, LoncLog log,
        Func<bool> reopen, Action statusRequested, DescriptorReserve descriptors)
    {
        _listener = listener;
        _relay = relay;
        _signals = signals;
        _log = log;
        _reopen = reopen;
        _statusRequested = statusRequested;
        _descriptors = descriptors;
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
                if (link is not null && _readable.Contains(link) && !_relay.LinkReady() && !ReopenIdleLink())
                    return Exit.LinkLost;
                if (_readable.Contains(_listener) && AcceptOne() is { } fresh)
                {
                    // lonnet writes its request right after connecting: read it now rather than after
                    // another select turn (a would-block costs one cheap recv instead of a poll and a wake-up).
                    if (ReadAndHandle(fresh) is { } exitNow)
                        return exitNow;
                }
                foreach (var s in _readable)
                {
                    if (s == _listener || s == link || !_clients.TryGetValue(s, out var client))
                        continue;
                    if (ReadAndHandle(client) is { } exit)
                        return exit;
                }
                foreach (var s in _writable)
                {
                    if (_clients.TryGetValue(s, out var client) && FlushAndResume(client) is { } exit)
                        return exit;
                }
                DropFinished();
            }
        }
        finally
        {
            foreach (var c in _clients.Values)
                c.Dispose();
            _clients.Clear();
        }
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
        _log.Log(LogColor.Blue, $"WARNING: lond {_log.Conserver} is not back yet; the next request will try again");
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
            if (!client.Closing && !client.ReadingPaused)
                _readable.Add(socket);
            if (!client.Output.IsEmpty)
                _writable.Add(socket);
        }
    }

    /// <summary>One accept per readable listener, as 1.53 did: lonnet's one-shot clients make a second,
    /// failing accept a wasted syscall per request; a burst is drained by the following select turns.</summary>
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
            _log.Log(LogColor.Blue, $"WARNING: accept failed on {_log.Conserver}: {SystemErrorText.Of(e)}; pausing accepts for 100 ms");
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
            _log.Log(LogColor.Blue,
                $"WARNING: {_log.Conserver} has {_clients.Count} clients, all that RLIMIT_NOFILE {_descriptors.Limit} allows " +
                $"with {_descriptors.InUse} descriptors in use at start and {DescriptorReserve.Reserve} in reserve: refusing new clients with con_lost");
        }
        _refused++;
        accepted.Send(ConLost, SocketFlags.None, out _);
        accepted.Dispose();
    }

    /// <summary>Reads what the client sent and handles every complete line; non-null ends the loop.</summary>
    private Exit? ReadAndHandle(ClientConnection client)
    {
        // Receive into one shared chunk and copy only what arrived: a lonnet request is ~50 bytes, and
        // sizing every short-lived client's buffer for a full chunk cost 8 KiB per connection.
        var n = client.Socket.Receive(_chunk, SocketFlags.None, out var err);
        if (err == SocketError.WouldBlock || err == SocketError.Interrupted)
            return null;
        if (n <= 0 || err != SocketError.Success)
        {
            // EOF or error: forget this client, its unsent replies and its unanswered requests.
            _dropped.Add(client);
            _log.Status("Idle");
            return null;
        }
        client.Input.Append(_chunk.AsSpan(0, n));
        if (HandleLines(client) is { } exit)
            return exit;
        Flush(client);
        return null;
    }

    /// <summary>
    /// Relays the client's complete lines in order until none is left or its unread replies reach the high-water
    /// mark (then it is paused: the rest of its lines wait in its buffer).
    /// </summary>
    private Exit? HandleLines(ClientConnection client)
    {
        while (!client.ReadingPaused && client.Input.TryTakeLine(out var line))
        {
            if (!_relay.LinkReady() && !_reopen())
            {
                Flush(client);
                return Exit.LinkLost;
            }
            if (_relay.Handle(line.Span, client.Output) == RequestRelay.Verdict.Exit)
                return Exit.CloseRequested;
            if (_relay.NeedsReopen)
            {
                // The con_lost goes out before the re-open, which may take a handshake's time.
                Flush(client);
                if (!_reopen())
                    return Exit.LinkLost;
            }
            if (client.Output.Length >= Limits.ClientOutputHighWater)
                client.ReadingPaused = true;
        }
        if (!client.ReadingPaused && (client.Input.Overflowed || client.Input.HeadLineTooLong))
        {
            _log.Log(LogColor.Blue,
                $"WARNING: client of {_log.Conserver} sent more than {Limits.MaxRequestLine} bytes without a newline; answering con_lost and disconnecting");
            client.Input.Clear();
            client.Output.Append(ConLost);
            client.Closing = true;
        }
        HeapTrim.Released(client.Input.Shrink(Limits.KeepBufferUpTo));
        return null;
    }

    /// <summary>Writes what the client can take; a paused client that took enough is resumed on the lines it already sent.</summary>
    private Exit? FlushAndResume(ClientConnection client)
    {
        Flush(client);
        while (client.ReadingPaused && client.Output.Length <= Limits.ClientOutputLowWater && !_dropped.Contains(client))
        {
            client.ReadingPaused = false;
            if (HandleLines(client) is { } exit)
                return exit;
            Flush(client);
        }
        return null;
    }

    private void Flush(ClientConnection client)
    {
        while (!client.Output.IsEmpty)
        {
            var sent = client.Socket.Send(client.Output.Pending, SocketFlags.None, out var err);
            if (err == SocketError.WouldBlock || err == SocketError.Interrupted)
                return;
            if (err != SocketError.Success || sent <= 0)
            {
                // The client hung up mid-reply: only it is affected.
                _dropped.Add(client);
                return;
            }
            client.Output.Consume(sent);
        }
        HeapTrim.Released(client.Output.Shrink(Limits.KeepBufferUpTo));
        if (client.Closing)
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
            if (_spare.Count < SpareConnections)
                _spare.Push(c);
        }
        _dropped.Clear();
    }
}
