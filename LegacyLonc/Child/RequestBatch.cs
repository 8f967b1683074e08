namespace LegacyLonc.Child;

/// <summary>
/// The requests one write to lond carries, taken from the clients (each client's in its own order), with the bytes
/// that go to lond for them in one buffer. At depth 1 it is one exchange: the k-th <see cref="RequestKind.Lond"/>
/// entry gets the k-th reply lond sends, and the entries the child answers itself keep their place among them. Above
/// depth 1 it holds only requests for lond, at most the room the <see cref="RequestWindow"/> has left, and they go
/// out behind the requests in flight. Reused from batch to batch: filling and emptying it allocates nothing.
/// </summary>
public sealed class RequestBatch
{
    /// <summary>One request of the batch and the client it came from.</summary>
    public struct Entry
    {
        /// <summary>Who gets the answer.</summary>
        public ClientConnection Client;
        public RequestKind Kind;
        /// <summary>The line as the client sent it, newline included (in the client's input buffer, valid until it is read again).</summary>
        public ReadOnlyMemory<byte> Line;
        /// <summary>Where its wire form (newline included) starts in <see cref="Wire"/>, and its length; 0 until encoded.</summary>
        public int WireStart, WireLength;
        /// <summary>True when a later entry of this batch is the same client's: its replies can leave together.</summary>
        public bool MoreFollow;
    }

    private readonly Entry[] _entries;
    private byte[] _wire = new byte[InitialWire];
    private int _wireLength;
    private int _requestBytes;
    private int _room;
    private const int InitialWire = 4096;

    /// <param name="depth">The most entries one batch holds (<c>loncPipelineDepth</c>).</param>
    public RequestBatch(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _entries = new Entry[depth];
        _room = depth;
    }

    /// <summary>The most entries a batch holds.</summary>
    public int Depth => _entries.Length;

    public int Count { get; private set; }

    /// <summary>Entries for lond (the ones that get a reply from it).</summary>
    public int LondCount { get; private set; }

    /// <summary>True once a <c>close_connection_exit</c> is in: nothing may follow it.</summary>
    public bool Ended { get; private set; }

    /// <summary>
    /// No further entry fits: <see cref="Depth"/> (or the room <see cref="Open"/> gave) reached, a
    /// <c>close_connection_exit</c> taken, or the lines held — with those in flight — come to
    /// <see cref="Limits.BatchRequestBytes"/> or more (the first line is always taken, however long, when none is in flight).
    /// </summary>
    public bool IsFull => Count == _room || Ended || _requestBytes >= Limits.BatchRequestBytes;

    /// <summary>
    /// Before filling an empty batch that goes out behind requests still in flight (a <see cref="RequestWindow"/>):
    /// it may take at most <paramref name="room"/> entries, and the lines in flight, <paramref name="requestBytesInFlight"/>
    /// bytes, count against <see cref="Limits.BatchRequestBytes"/> with its own. Until <see cref="Clear"/>.
    /// </summary>
    public void Open(int room, int requestBytesInFlight)
    {
        if (Count > 0)
            throw new InvalidOperationException("the batch is not empty");
        _room = Math.Clamp(room, 0, _entries.Length);
        _requestBytes = requestBytesInFlight;
    }

    public ref Entry this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index));
            return ref _entries[index];
        }
    }

    /// <summary>Adds an entry at the end; the caller checked <see cref="IsFull"/>.</summary>
    public void Add(ClientConnection client, RequestKind kind, ReadOnlyMemory<byte> line)
    {
        if (IsFull)
            throw new InvalidOperationException("the batch is full");
        // The client's slot is its latest entry in this batch when that entry is still its; else it has none yet.
        var slot = client.BatchSlot;
        if (slot >= 0 && slot < Count && _entries[slot].Client == client)
            _entries[slot].MoreFollow = true;
        client.BatchSlot = Count;
        _entries[Count++] = new Entry { Client = client, Kind = kind, Line = line };
        _requestBytes += line.Length;
        if (kind == RequestKind.Lond)
            LondCount++;
        else if (kind == RequestKind.CloseConnectionExit)
            Ended = true;
    }

    /// <summary>Appends the wire form of entry <paramref name="index"/>: <paramref name="bytes"/>, then "\n" unless they end in one.</summary>
    public void AppendWire(int index, ReadOnlySpan<byte> bytes)
    {
        ref var e = ref this[index];
        var newline = bytes.Length == 0 || bytes[^1] != (byte)'\n';
        var needed = _wireLength + bytes.Length + (newline ? 1 : 0);
        if (needed > _wire.Length)
        {
            var bigger = new byte[Math.Max(needed, _wire.Length * 2)];
            _wire.AsSpan(0, _wireLength).CopyTo(bigger);
            _wire = bigger;
        }
        e.WireStart = _wireLength;
        bytes.CopyTo(_wire.AsSpan(_wireLength));
        _wireLength += bytes.Length;
        if (newline)
            _wire[_wireLength++] = (byte)'\n';
        e.WireLength = _wireLength - e.WireStart;
    }

    /// <summary>Everything that goes to lond for this batch, in entry order.</summary>
    public ReadOnlySpan<byte> Wire => _wire.AsSpan(0, _wireLength);

    /// <summary>The wire form of entry <paramref name="index"/> without its newline (for the status and log lines).</summary>
    public ReadOnlySpan<byte> WireText(int index)
    {
        ref var e = ref this[index];
        return e.WireLength == 0 ? ReadOnlySpan<byte>.Empty : _wire.AsSpan(e.WireStart, e.WireLength - 1);
    }

    /// <summary>
    /// Empties the batch for the next one (client references are let go) and gives back a wire buffer that grew
    /// past <see cref="Limits.KeepBufferUpTo"/> for a long line; returns the size of the array let go (0 when none).
    /// </summary>
    public int Clear()
    {
        Array.Clear(_entries, 0, Count);
        Count = LondCount = _wireLength = _requestBytes = 0;
        _room = _entries.Length;
        Ended = false;
        if (_wire.Length <= Limits.KeepBufferUpTo)
            return 0;
        var released = _wire.Length;
        _wire = new byte[InitialWire];
        return released;
    }
}
