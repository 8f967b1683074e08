namespace LegacyLonc.Child;

/// <summary>
/// A per-fd input buffer that hands out complete '\n'-terminated lines in arrival order (1.53's
/// <c>$inbuffer{$fd} =~ s/(.*\n)//</c>) and reports when a partial line grows past its limit.
/// Bytes are compacted in place, so a steady stream of requests allocates nothing.
/// </summary>
public sealed class LineBuffer
{
    private byte[] _data;
    private int _start;
    private int _end;
    private int _scanned;
    private readonly int _maxLine;

    public LineBuffer(int maxLine, int initialCapacity = 1024)
    {
        _maxLine = maxLine;
        _data = new byte[Math.Min(initialCapacity, maxLine + 1)];
    }

    /// <summary>Bytes buffered that do not yet form a complete line.</summary>
    public int PendingBytes => _end - _start;

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
            var bigger = new byte[Math.Max(_data.Length * 2, _end + atLeast)];
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
