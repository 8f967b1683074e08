namespace LegacyLonc.Child;

/// <summary>
/// A per-fd output buffer (1.53's <c>$outbuffer{$fd}</c>): replies queue here in request order and
/// leave as the socket accepts them, partial sends keeping the rest.
/// </summary>
public sealed class OutputBuffer
{
    private byte[] _data = new byte[InitialCapacity];
    private int _start;
    private int _end;

    public bool IsEmpty => _start == _end;
    public int Length => _end - _start;
    public ReadOnlySpan<byte> Pending => _data.AsSpan(_start, _end - _start);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_data.Length - _end < bytes.Length)
        {
            var live = _end - _start;
            var target = _data.Length - live < bytes.Length ? new byte[Math.Max(_data.Length * 2, live + bytes.Length)] : _data;
            Buffer.BlockCopy(_data, _start, target, 0, live);
            _data = target;
            _start = 0;
            _end = live;
        }
        bytes.CopyTo(_data.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes (they were sent).</summary>
    public void Consume(int count)
    {
        _start += count;
        if (_start >= _end)
            _start = _end = 0;
    }

    public void Clear() => _start = _end = 0;

    /// <summary>The size of the backing array.</summary>
    public int Capacity => _data.Length;

    /// <summary>
    /// When empty and grown past <paramref name="keepUpTo"/> bytes (after a long reply), goes back to a small array;
    /// returns the size of the array let go (0 when nothing changed).
    /// </summary>
    public int Shrink(int keepUpTo)
    {
        if (!IsEmpty || _data.Length <= keepUpTo)
            return 0;
        var released = _data.Length;
        _data = new byte[InitialCapacity];
        _start = _end = 0;
        return released;
    }

    private const int InitialCapacity = 256;
}
