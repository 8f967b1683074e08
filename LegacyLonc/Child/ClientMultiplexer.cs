using System.Net.Sockets;
using LegacyLonc.Logging;

namespace LegacyLonc.Child;

/// <summary>
/// The child's main loop, after the Perl Cookbook "nonforker" that 1.53 was built on: one Socket.Select over
/// the UNIX listener, every client and the signal pipe; complete lines are relayed in order, replies leave
/// through per-client output buffers. No async I/O and no threads: a slow lond stalls this host's clients
/// exactly as it did in 1.53.
/// </summary>
public sealed class ClientMultiplexer
{
    private readonly Socket _listener;
    private readonly RequestRelay _relay;
    private readonly ChildSignals _signals;
    private readonly LoncLog _log;
    private readonly Func<bool> _reopen;
    private readonly Action _statusRequested;
    private readonly Dictionary<Socket, ClientConnection> _clients = new();
    private readonly List<Socket> _readable = new();
    private readonly List<Socket> _writable = new();
    private readonly List<ClientConnection> _dropped = new();
    private readonly Stack<ClientConnection> _spare = new();
    private readonly byte[] _chunk = new byte[Limits.ReceiveChunk];
    private long _acceptPausedUntil;
    private readonly string _acceptStatus;
    private const int SpareConnections = 64;

    /// <param name="reopen">Re-opens the lond link after a failure; false means give up (the child exits).</param>
    /// <param name="statusRequested">Writes the USR1 status line.</param>
    public ClientMultiplexer(Socket listener, RequestRelay relay, ChildSignals signals, LoncLog log,
        Func<bool> reopen, Action statusRequested)
    {
        _listener = listener;
        _relay = relay;
        _signals = signals;
        _log = log;
        _reopen = reopen;
        _statusRequested = statusRequested;
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

                BuildSets();
                Socket.Select(_readable, _writable, null, _acceptPausedUntil > 0 ? 100_000 : -1);

                if (_readable.Contains(_listener) && AcceptOne() is { } fresh)
                {
                    // lonnet writes its request right after connecting: read it now rather than after
                    // another select turn (a would-block costs one cheap recv instead of a poll and a wake-up).
                    if (ReadAndHandle(fresh) is { } exitNow)
                        return exitNow;
                }
                foreach (var s in _readable)
                {
                    if (s == _listener || !_clients.TryGetValue(s, out var client))
                        continue;
                    var verdict = ReadAndHandle(client);
                    if (verdict is { } exit)
                        return exit;
                }
                foreach (var s in _writable)
                    if (_clients.TryGetValue(s, out var client))
                        Flush(client);
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

    private void BuildSets()
    {
        _readable.Clear();
        _writable.Clear();
        if (_acceptPausedUntil == 0 || Environment.TickCount64 >= _acceptPausedUntil)
        {
            _acceptPausedUntil = 0;
            _readable.Add(_listener);
        }
        _readable.Add(_signals.WakeSocket);
        foreach (var (socket, client) in _clients)
        {
            if (!client.Closing)
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
            _log.Log(LogColor.Blue, $"WARNING: accept failed on {_log.Conserver}: {e.Message}; pausing accepts for 100 ms");
            _acceptPausedUntil = Environment.TickCount64 + 100;
            return null;
        }
        accepted.Blocking = false;
        // 1.53 asked for SO_KEEPALIVE "to monitor liveness"; the kernel ignores it on AF_UNIX.
        accepted.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        var client = _spare.TryPop(out var reused) ? reused.Attach(accepted) : new ClientConnection(accepted);
        _clients[accepted] = client;
        return client;
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

        while (client.Input.TryTakeLine(out var line))
        {
            if (_relay.NeedsReopen && !_reopen())
                return Exit.LinkLost;
            if (_relay.Handle(line.Span, client.Output) == RequestRelay.Verdict.Exit)
                return Exit.CloseRequested;
            if (_relay.NeedsReopen && !_reopen())
            {
                Flush(client);
                return Exit.LinkLost;
            }
        }
        if (client.Input.Overflowed || client.Input.HeadLineTooLong)
        {
            _log.Log(LogColor.Blue,
                $"WARNING: client of {_log.Conserver} sent more than {Limits.MaxRequestLine} bytes without a newline; answering con_lost and disconnecting");
            client.Input.Clear();
            client.Output.Append("con_lost\n"u8);
            client.Closing = true;
        }
        Flush(client);
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
            // Keep a few connections' buffers for the next clients: lonnet connects once per request.
            if (_spare.Count < SpareConnections)
                _spare.Push(c);
        }
        _dropped.Clear();
    }
}
