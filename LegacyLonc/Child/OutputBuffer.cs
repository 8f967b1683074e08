namespace LegacyLonc.Child;

/// <summary>
/// A per-fd output buffer (1.53's <c>$outbuffer{$fd}</c>): replies queue here in request order and
/// leave as the socket accepts them, partial sends keeping the rest.
/// </summary>
public sealed class OutputBuffer
{
    private byte[] _data = new byte[256];
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
}
