namespace LegacyLonc.Testbed;

/// <summary>What became of the requests of a <see cref="SoakClient"/>.</summary>
public sealed class SoakTally
{
    public long Requests;
    /// <summary>The reply was the echo of the request's own token.</summary>
    public long Matched;
    /// <summary>lonc answered <c>con_lost</c> (a lond fault, a timeout, a link re-opened).</summary>
    public long ConLost;
    /// <summary>No reply line: the socket was absent (a child restarting) or closed without an answer.</summary>
    public long NoReply;
    /// <summary>A reply that is neither the request's own echo nor <c>con_lost</c>: it belongs to something else.</summary>
    public long Misrouted;
    /// <summary>Of <see cref="Misrouted"/>: the reply carried another request's token (handed to the wrong client or request).</summary>
    public long ForeignToken;

    public void Add(SoakTally t)
    {
        Requests += t.Requests;
        Matched += t.Matched;
        ConLost += t.ConLost;
        NoReply += t.NoReply;
        Misrouted += t.Misrouted;
        ForeignToken += t.ForeignToken;
    }
}

/// <summary>
/// One soak client on one host's socket, in lonnet's pattern (connect, one line, reply, close) or persistent (one
/// connection for many requests). Each request is <c>echo:&lt;token&gt;</c> (every fourth <c>encrypt:echo:</c>) with a
/// token unique in the run, so a reply that belongs to another request is told from a lost one.
/// </summary>
internal sealed class SoakClient
{
    /// <summary>Every token starts so: a misrouted reply that holds it belongs to another request.</summary>
    public const string TokenMark = "tok-";

    private readonly string _socket;
    private readonly string _name;
    private readonly bool _persistent;
    private readonly SoakGate _gate;
    private readonly Action<string> _problem;
    private readonly Random _random;
    private LonnetClient? _connection;
    private long _seq;
    private int _problems;

    public SoakClient(string socket, string name, bool persistent, SoakGate gate, int seed, Action<string> problem)
    {
        _socket = socket;
        _name = name;
        _persistent = persistent;
        _gate = gate;
        _random = new Random(seed);
        _problem = problem;
    }

    public SoakTally Tally { get; } = new();

    /// <summary>Sends requests until the gate stops; parks (its connection closed) while the gate is paused.</summary>
    public void Run()
    {
        try
        {
            while (true)
            {
                if (_gate.MustPark)
                {
                    Drop();
                    if (!_gate.Park())
                        return;
                }
                One();
                // A little think time: the soak is about time under faults, not throughput.
                Thread.Sleep(_random.Next(0, 4));
            }
        }
        finally
        {
            Drop();
        }
    }

    private void One()
    {
        var token = $"{TokenMark}{_name}-{++_seq}";
        var line = (_seq % 4 == 0 ? "encrypt:echo:" : "echo:") + token;
        string? reply;
        string failure;
        if (_persistent)
        {
            _connection ??= LonnetClient.Connect(_socket, SoakRun.ClientTimeout, out failure);
            reply = _connection?.Request(line, out failure);
        }
        else
            reply = LonnetClient.Subreply(_socket, line, SoakRun.ClientTimeout, out failure);

        var t = Tally;
        Interlocked.Increment(ref t.Requests);
        if (reply == token)
            Interlocked.Increment(ref t.Matched);
        else if (reply == "con_lost")
            Interlocked.Increment(ref t.ConLost);
        else if (reply is null)
            Interlocked.Increment(ref t.NoReply);
        else
        {
            Interlocked.Increment(ref t.Misrouted);
            if (reply.Contains(TokenMark, StringComparison.Ordinal))
                Interlocked.Increment(ref t.ForeignToken);
            Note($"misrouted: sent {line}, got {(reply.Length > 80 ? reply[..80] + "…" : reply)}");
        }
        // After anything but its own reply a persistent connection may be out of step: start afresh, as lonnet would.
        if (reply != token)
            Drop();
        // No socket (a child restarting) fails at once: no spinning on it.
        if (reply is null)
            Thread.Sleep(_random.Next(20, 60));
    }

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private void Note(string problem)
    {
        if (_problems++ < 3)
            _problem($"{_name}: {problem}");
    }
}
