using System.Net;
using System.Net.Sockets;

namespace LegacyLonc.Testbed;

/// <summary>
/// A loopback stand-in for a remote lond (spec §8): init/challenge/ok, sethost:, version:, pong, ekey
/// (with the project's key derivation and cipher), then one reply line per request line.
/// Commands: <c>ping</c> → host id; <c>echo:&lt;text&gt;</c> → text; <c>enc:</c> lines are decrypted first
/// (malformed → <c>error:bad_enc</c>); <c>exit</c> → <c>bye</c> and close; anything else → <c>unknown_cmd</c>.
/// Every request (decrypted) is recorded.
/// </summary>
/// <remarks>
/// Blocking sockets, one thread per connection (lond forked per connection; a thread is the cheap equivalent),
/// buffered line reads and replies flushed only when no further request is already buffered.
/// Listens on 127.0.0.0/8 only.
/// </remarks>
public sealed class LondEmulator : IDisposable
{
    private const int SolSocket = 1;   // Linux SOL_SOCKET
    private const int SoReuseAddr = 2; // Linux SO_REUSEADDR

    private readonly LondEmulatorOptions _options;
    private readonly object _gate = new();
    private readonly List<string> _requests = new();
    private readonly List<LondRequest> _requestLog = new();
    private readonly List<string> _dialogue = new();
    private readonly Dictionary<string, int> _connectionsByHost = new();
    private readonly HashSet<Socket> _open = new();
    private readonly List<(Socket Listener, Thread Acceptor)> _listeners = new();
    private int _behaviour;
    private int _connections;
    private int _handshakes;
    private int _requestCount;
    private bool _running;

    public LondEmulator(LondEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Count == 0)
            throw new ArgumentException("lond emulator: nothing to listen on", nameof(options));
        foreach (var (address, hostId) in options.Listen)
        {
            if (!IsLoopback(address))
                throw new ArgumentException($"lond emulator: {address} ({hostId}) is not on 127.0.0.0/8; only loopback is allowed", nameof(options));
            if (string.IsNullOrEmpty(hostId))
                throw new ArgumentException($"lond emulator: empty host id for {address}", nameof(options));
        }
        var duplicate = options.Listen.GroupBy(l => l.Address).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
            throw new ArgumentException($"lond emulator: {duplicate.Key} is listed twice", nameof(options));
        if (options.Port is < 1 or > 65535)
            throw new ArgumentException($"lond emulator: port {options.Port} out of range", nameof(options));
        if (string.IsNullOrEmpty(options.ClientId))
            throw new ArgumentException("lond emulator: empty client id", nameof(options));
        _options = options;
    }

    /// <summary>True for an IPv4 address in 127.0.0.0/8.</summary>
    public static bool IsLoopback(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] == 127;

    internal LondEmulatorOptions Options => _options;

    /// <summary>The (address, host id) pairs it listens on.</summary>
    public IReadOnlyList<(IPAddress Address, string HostId)> ListenOn => _options.Listen;

    /// <summary>The lond port on every address.</summary>
    public int Port => _options.Port;

    /// <summary>Binds every listen address (throws if one is in use) and starts serving on background threads.</summary>
    /// <exception cref="IOException">An address could not be bound; nothing is left listening.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_running)
                throw new InvalidOperationException("lond emulator already started");
            try
            {
                foreach (var (address, hostId) in _options.Listen)
                {
                    var listener = Bind(address, hostId);
                    var acceptor = new Thread(() => AcceptLoop(listener, hostId), 256 * 1024)
                    {
                        IsBackground = true,
                        Name = $"lond-accept {hostId}",
                    };
                    _listeners.Add((listener, acceptor));
                }
            }
            catch
            {
                CloseListeners();
                throw;
            }
            _running = true;
            foreach (var (_, acceptor) in _listeners)
                acceptor.Start();
        }
    }

    /// <summary>Closes the listeners and every open connection (lond going away).</summary>
    public void Stop()
    {
        List<Thread> acceptors;
        lock (_gate)
        {
            _running = false;
            acceptors = _listeners.Select(l => l.Acceptor).ToList();
            CloseListeners();
            foreach (var s in _open)
                Abort(s);
            _open.Clear();
        }
        foreach (var t in acceptors)
        {
            if (t.IsAlive && t != Thread.CurrentThread)
                t.Join(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Stop then Start: lond restarted (records and counters are kept).</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    public LondBehaviour Behaviour
    {
        get => (LondBehaviour)Volatile.Read(ref _behaviour);
        set => Volatile.Write(ref _behaviour, (int)value);
    }

    /// <summary>Every request line received after a handshake, decrypted, in arrival order (thread-safe snapshot).</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    /// <summary>Every request with its host, connection number and whether it came encrypted (thread-safe snapshot).</summary>
    public IReadOnlyList<LondRequest> RequestLog
    {
        get { lock (_gate) return _requestLog.ToArray(); }
    }

    /// <summary>Every line received, handshake included, as "<c>&lt;hostId&gt; &lt;line&gt;</c>" (thread-safe snapshot).</summary>
    public IReadOnlyList<string> Dialogue
    {
        get { lock (_gate) return _dialogue.ToArray(); }
    }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completed handshakes (ekey answered) so far.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Requests received since start or <see cref="ClearRecords"/> (counted even when not recording).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Connections open right now.</summary>
    public int OpenConnections
    {
        get { lock (_gate) return _open.Count; }
    }

    /// <summary>Connections accepted so far on the address of <paramref name="hostId"/>.</summary>
    public int ConnectionsTo(string hostId)
    {
        lock (_gate)
            return _connectionsByHost.GetValueOrDefault(hostId);
    }

    /// <summary>Forgets the recorded requests and dialogue and zeroes <see cref="RequestCount"/> (connection counters stay).</summary>
    public void ClearRecords()
    {
        lock (_gate)
        {
            _requests.Clear();
            _requestLog.Clear();
            _dialogue.Clear();
            _requestCount = 0;
        }
    }

    /// <summary>Waits until <see cref="RequestCount"/> reaches <paramref name="count"/>; false on timeout.</summary>
    public bool WaitForRequests(int count, TimeSpan timeout) => WaitUntil(() => _requestCount >= count, timeout);

    /// <summary>Waits until <see cref="Handshakes"/> reaches <paramref name="count"/>; false on timeout.</summary>
    public bool WaitForHandshakes(int count, TimeSpan timeout) => WaitUntil(() => _handshakes >= count, timeout);

    public void Dispose() => Stop();

    internal void RecordLine(string hostId, string line)
    {
        _options.Trace?.Invoke($"{hostId} < {line}");
        if (!_options.Record)
            return;
        lock (_gate)
            _dialogue.Add($"{hostId} {line}");
    }

    internal void RecordRequest(LondRequest request)
    {
        lock (_gate)
        {
            if (_options.Record)
            {
                _requests.Add(request.Line);
                _requestLog.Add(request);
            }
            _requestCount++;
            Monitor.PulseAll(_gate);
        }
    }

    internal void RecordHandshake()
    {
        lock (_gate)
        {
            _handshakes++;
            Monitor.PulseAll(_gate);
        }
    }

    internal void Closed(Socket socket, string hostId, int connection)
    {
        lock (_gate)
            _open.Remove(socket);
        _options.Trace?.Invoke($"{hostId} connection {connection} closed");
    }

    private bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (!condition())
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return false;
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }

    private Socket Bind(IPAddress address, string hostId)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // lond restarts must not wait for TIME_WAIT, but a live listener on the address must still make bind
            // fail. SocketOptionName.ReuseAddress would also set SO_REUSEPORT on Linux (two emulators sharing one
            // address), so plain SO_REUSEADDR is set raw.
            listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(new IPEndPoint(address, _options.Port));
            listener.Listen(512);
            return listener;
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"lond emulator: cannot listen on {address}:{_options.Port} for {hostId}: {e.Message}", e);
        }
    }

    private void CloseListeners()
    {
        foreach (var (listener, _) in _listeners)
            listener.Dispose();
        _listeners.Clear();
    }

    private void AcceptLoop(Socket listener, string hostId)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                lock (_gate)
                {
                    if (!_running || !_listeners.Any(l => l.Listener == listener))
                        return;
                }
                // A transient failure (EMFILE, ECONNABORTED): back off briefly instead of spinning.
                Thread.Sleep(10);
                continue;
            }
            OnAccepted(client, hostId);
        }
    }

    private void OnAccepted(Socket client, string hostId)
    {
        int connection;
        lock (_gate)
        {
            connection = ++_connections;
            _connectionsByHost[hostId] = _connectionsByHost.GetValueOrDefault(hostId) + 1;
            if (!_running)
            {
                Abort(client);
                return;
            }
            _open.Add(client);
        }
        _options.Trace?.Invoke($"{hostId} connection {connection} from {client.RemoteEndPoint}");
        if (Behaviour == LondBehaviour.Refuse)
        {
            client.Dispose();
            Closed(client, hostId, connection);
            return;
        }
        client.NoDelay = true;
        var session = new LondSession(this, client, hostId, connection);
        new Thread(session.Run, 256 * 1024) { IsBackground = true, Name = $"lond {hostId} #{connection}" }.Start();
    }

    private static void Abort(Socket s)
    {
        try
        {
            s.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        s.Dispose();
    }
}
