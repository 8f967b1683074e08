namespace LegacyLonc.Child;

/// <summary>
/// A per-fd input buffer that hands out complete '\n'-terminated lines in arrival order (1.53's
/// <c>$inbuffer{$fd} =~ s/(.*\n)//</c>) and reports when a partial line grows past its limit.
/// Bytes are compacted in place, so a steady stream of requests allocates nothing; a buffer that grew for one
/// long line never grows past the limit plus one receive, and <see cref="Shrink"/> gives it back afterwards.
/// </summary>
public sealed class LineBuffer
{
    private byte[] _data;
    private int _start;
    private int _end;
    private int _scanned;
    private readonly int _maxLine;
    private readonly int _initialCapacity;

    public LineBuffer(int maxLine, int initialCapacity = 1024)
    {
        _maxLine = maxLine;
        _initialCapacity = Math.Min(initialCapacity, maxLine + 1);
        _data = new byte[_initialCapacity];
    }

    /// <summary>Bytes buffered and not yet taken as lines (a partial line, or lines waiting their turn).</summary>
    public int PendingBytes => _end - _start;

    /// <summary>The size of the backing array.</summary>
    public int Capacity => _data.Length;

    /// <summary>
    /// Goes back to the initial capacity when the buffer grew past <paramref name="keepUpTo"/> bytes and what is
    /// pending fits; returns the size of the array let go (0 when nothing changed). Lines taken earlier stay valid:
    /// they point into the old array, which is never written again.
    /// </summary>
    public int Shrink(int keepUpTo)
    {
        var live = _end - _start;
        if (_data.Length <= keepUpTo || live > _initialCapacity)
            return 0;
        var released = _data.Length;
        var smaller = new byte[_initialCapacity];
        Buffer.BlockCopy(_data, _start, smaller, 0, live);
        _scanned = Math.Max(0, _scanned - _start);
        _start = 0;
        _end = live;
        _data = smaller;
        return released;
    }

    /// <summary>True once the unterminated tail is longer than the limit: the peer is not speaking lines.</summary>
    public bool Overflowed => LineEnd() < 0 && _end - _start > _maxLine;

    /// <summary>Space to receive into (at least <paramref name="atLeast"/> bytes); call <see cref="Commit"/> after.</summary>
    public Span<byte> GetWriteSpan(int atLeast)
    {
        if (_start > 0 && _data.Length - _end < atLeast)
        {
            var live = _end - _start;
            Buffer.BlockCopy(_data, _start, _data, 0, live);
            _scanned -= _start;
            _start = 0;
            _end = live;
        }
        if (_data.Length - _end < atLeast)
        {
            // Doubling, but never past what one line at the limit plus one receive needs: a flood is cut off
            // there, and a 32 MiB array for a 16 MiB limit would be memory for nothing.
            var bigger = new byte[Math.Max(_end + atLeast, Math.Min(_data.Length * 2, _maxLine + 1 + atLeast))];
            Buffer.BlockCopy(_data, _start, bigger, 0, _end - _start);
            _scanned -= _start;
            _end -= _start;
            _start = 0;
            _data = bigger;
        }
        return _data.AsSpan(_end);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the write span as received.</summary>
    public void Commit(int count) => _end += count;

    /// <summary>Appends bytes (tests and small writes).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetWriteSpan(bytes.Length));
        Commit(bytes.Length);
    }

    /// <summary>
    /// Takes the next complete line, newline included. The memory stays valid until the next call that
    /// changes this buffer. A line longer than the limit is not returned (see <see cref="Overflowed"/>).
    /// </summary>
    public bool TryTakeLine(out ReadOnlyMemory<byte> line)
    {
        var nl = LineEnd();
        if (nl < 0 || nl + 1 - _start > _maxLine + 1)
        {
            line = default;
            return false;
        }
        line = new ReadOnlyMemory<byte>(_data, _start, nl + 1 - _start);
        _start = nl + 1;
        _scanned = _start;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
            _scanned = 0;
        }
        return true;
    }

    /// <summary>True when a complete line longer than the limit is at the head of the buffer.</summary>
    public bool HeadLineTooLong
    {
        get
        {
            var nl = LineEnd();
            return nl >= 0 && nl - _start > _maxLine;
        }
    }

    /// <summary>The first <paramref name="count"/> pending bytes (fewer when fewer are pending), not taken.</summary>
    public ReadOnlySpan<byte> Peek(int count) => _data.AsSpan(_start, Math.Min(count, _end - _start));

    /// <summary>Forgets everything buffered.</summary>
    public void Clear()
    {
        _start = _end = _scanned = 0;
    }

    private int LineEnd()
    {
        if (_scanned < _start)
            _scanned = _start;
        var idx = _data.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
        if (idx < 0)
        {
            _scanned = _end;
            return -1;
        }
        return _scanned + idx;
    }
}
