using System.Net.Sockets;

namespace LegacyLonc.Testbed;

/// <summary>
/// Buffered <c>\n</c>-terminated line reading from a blocking socket: one <c>Receive</c> per buffer-full,
/// never per byte, so the emulator and the load client are never the bottleneck of a benchmark.
/// </summary>
public sealed class SocketLineReader
{
    private readonly Socket _socket;
    private readonly int _maxLine;
    private byte[] _buffer;
    private int _start; // first unread byte
    private int _end;   // one past the last received byte

    public SocketLineReader(Socket socket, int initialBuffer = 16 * 1024, int maxLine = 16 * 1024 * 1024)
    {
        _socket = socket;
        _buffer = new byte[initialBuffer];
        _maxLine = maxLine;
    }

    /// <summary>True when a complete line is already buffered (so a reply may wait to be flushed with the next).</summary>
    public bool HasBufferedLine => _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n') >= 0;

    /// <summary>Complete lines received and not yet returned.</summary>
    public int BufferedLines => System.MemoryExtensions.Count(_buffer.AsSpan(_start, _end - _start), (byte)'\n');

    /// <summary>Bytes received but not yet returned as a line (a partial line at EOF, for instance).</summary>
    public int Pending => _end - _start;

    /// <summary>True when the last <see cref="TryReadLine"/> failed because the socket's receive timeout expired (nothing is lost: call again).</summary>
    public bool TimedOut { get; private set; }

    /// <summary>
    /// The next line without its <c>\n</c> (a <c>\r</c> before it is kept), valid until the next call;
    /// false on EOF, on a socket error or timeout, or when a line exceeds the maximum length.
    /// </summary>
    public bool TryReadLine(out ArraySegment<byte> line)
    {
        TimedOut = false;
        if (_start == _end)
            _start = _end = 0;
        var scanFrom = _start;
        while (true)
        {
            var nl = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                var at = scanFrom + nl;
                line = new ArraySegment<byte>(_buffer, _start, at - _start);
                _start = at + 1;
                return true;
            }
            scanFrom = _end;
            if (!Fill(ref scanFrom))
            {
                line = default;
                return false;
            }
        }
    }

    // Makes room (compacting or growing) and receives once; keeps scanFrom pointing at the same byte.
    private bool Fill(ref int scanFrom)
    {
        if (_end == _buffer.Length)
        {
            var used = _end - _start;
            if (_start == 0)
            {
                if (_buffer.Length >= _maxLine)
                    return false;
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxLine));
            }
            else
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, used);
                scanFrom -= _start;
                _start = 0;
                _end = used;
            }
        }
        int n;
        try
        {
            n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        }
        catch (SocketException e)
        {
            TimedOut = e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        if (n == 0)
            return false;
        _end += n;
        return true;
    }
}
