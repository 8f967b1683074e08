namespace LegacyLonc.Child;

/// <summary>
/// The requests on the lond link that await their replies (<c>loncPipelineDepth</c> above 1), oldest first. lond
/// answers a connection's lines in the order it read them, so the next reply is always the oldest request's. Each
/// entry keeps its client, its deadline (<c>loncRequestTimeout</c> from its own write) and the start of its wire
/// text for the status and log lines. Deadlines never decrease along the queue, so the oldest request's is the
/// earliest. Fixed-size and reused: adding and retiring allocate nothing.
/// </summary>
public sealed class RequestWindow
{
    /// <summary>
    /// Bytes of a request's wire text kept for its status and log lines: both cut peer text at 200 characters, and
    /// one byte more tells the log line to say "..." exactly as the whole text would.
    /// </summary>
    public const int TextKept = PeerText.MaxQuoted + 1;

    private struct Entry
    {
        public ClientConnection Client;
        public long Deadline;
        public int RequestBytes;
        public int TextLength;
    }

    private readonly Entry[] _entries;
    private readonly byte[] _texts;
    private int _head;

    /// <param name="depth">The most requests in flight (<c>loncPipelineDepth</c>).</param>
    public RequestWindow(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _entries = new Entry[depth];
        _texts = new byte[depth * TextKept];
    }

    /// <summary>The most requests in flight.</summary>
    public int Depth => _entries.Length;

    /// <summary>Requests in flight.</summary>
    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>Requests that may still be sent before the window is full.</summary>
    public int Room => _entries.Length - Count;

    /// <summary>The bytes of the request lines in flight, as the clients sent them (for <see cref="Limits.BatchRequestBytes"/>).</summary>
    public int RequestBytes { get; private set; }

    /// <summary>Who sent the oldest request in flight.</summary>
    public ClientConnection HeadClient => Head.Client;

    /// <summary>When the oldest request in flight times out (a <see cref="Posix.MonotonicClock"/> value): the earliest deadline of all.</summary>
    public long HeadDeadline => Head.Deadline;

    /// <summary>The oldest request's wire text, without its newline, cut to <see cref="TextKept"/> bytes.</summary>
    public ReadOnlySpan<byte> HeadText => _texts.AsSpan(_head * TextKept, Head.TextLength);

    private ref Entry Head
    {
        get
        {
            if (Count == 0)
                throw new InvalidOperationException("no request is in flight");
            return ref _entries[_head];
        }
    }

    /// <summary>Enters a request just written to lond, behind every other; its deadline must not be before the last one's.</summary>
    public void Add(ClientConnection client, ReadOnlySpan<byte> wireText, int requestBytes, long deadline)
    {
        if (Count == _entries.Length)
            throw new InvalidOperationException("the window is full");
        var slot = (_head + Count) % _entries.Length;
        var text = wireText.Length <= TextKept ? wireText : wireText[..TextKept];
        text.CopyTo(_texts.AsSpan(slot * TextKept));
        _entries[slot] = new Entry { Client = client, Deadline = deadline, RequestBytes = requestBytes, TextLength = text.Length };
        Count++;
        RequestBytes += requestBytes;
    }

    /// <summary>Takes the oldest request out (it has its answer) and returns its client.</summary>
    public ClientConnection Retire()
    {
        ref var head = ref Head;
        var client = head.Client;
        RequestBytes -= head.RequestBytes;
        head = default;
        _head = (_head + 1) % _entries.Length;
        Count--;
        if (Count == 0)
            _head = 0;
        return client;
    }

    /// <summary>Forgets every request (the loop is ending); client references are let go.</summary>
    public void Clear()
    {
        Array.Clear(_entries);
        _head = Count = RequestBytes = 0;
    }
}
