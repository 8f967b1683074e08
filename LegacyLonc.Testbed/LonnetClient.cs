using System.Net.Sockets;
using System.Text;

namespace LegacyLonc.Testbed;

/// <summary>
/// The client side of a lonc UNIX socket, as lonnet uses it (spec §9): <see cref="Subreply"/> opens a
/// connection per request; an instance keeps one connection for several requests (the load test's
/// <c>--persistent</c> mode).
/// </summary>
public sealed class LonnetClient : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketLineReader _reader;

    private LonnetClient(Socket socket)
    {
        _socket = socket;
        _reader = new SocketLineReader(socket, initialBuffer: 4096);
    }

    /// <summary>Connects to <paramref name="socketPath"/>; null with the reason when that fails.</summary>
    public static LonnetClient? Connect(string socketPath, TimeSpan timeout, out string failure)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            s.Dispose();
            failure = $"cannot connect to {socketPath}: {e.Message}";
            return null;
        }
        s.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        s.SendTimeout = (int)timeout.TotalMilliseconds;
        failure = "";
        return new LonnetClient(s);
    }

    /// <summary>
    /// lonnet's <c>subreply</c>: connect, write the line and <c>\n</c>, read one line, hang up. The reply
    /// without its newline, or null with the reason (lonnet turned every such case into <c>con_lost</c>).
    /// </summary>
    public static string? Subreply(string socketPath, string line, TimeSpan timeout, out string failure)
    {
        using var client = Connect(socketPath, timeout, out failure);
        return client?.Request(line, out failure);
    }

    /// <summary>Writes one request line and reads one reply line; null with the reason on EOF, timeout or error.</summary>
    public string? Request(string line, out string failure)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        try
        {
            var sent = 0;
            while (sent < bytes.Length)
                sent += _socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            failure = $"send failed: {e.Message}";
            return null;
        }
        if (!_reader.TryReadLine(out var reply))
        {
            failure = _reader.Pending > 0 ? $"no newline after {_reader.Pending} bytes (EOF or timeout)" : "no reply (EOF or timeout)";
            return null;
        }
        failure = "";
        return Encoding.UTF8.GetString(reply);
    }

    public void Dispose() => _socket.Dispose();
}
