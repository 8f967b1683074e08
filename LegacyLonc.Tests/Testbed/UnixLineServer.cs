using System.Net.Sockets;
using System.Text;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Testbed;

/// <summary>
/// A tiny stand-in for a lonc UNIX socket: one thread per connection, one reply line per request line
/// from <see cref="Respond"/> (null closes the connection without a reply).
/// </summary>
internal sealed class UnixLineServer : IDisposable
{
    private readonly Socket _listener;
    private readonly string _dir;
    private int _connections;

    public UnixLineServer(Func<string, string?> respond)
    {
        Respond = respond;
        _dir = Path.Combine(Path.GetTempPath(), "ll-ux-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        SocketPath = Path.Combine(_dir, "h1");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(256);
        new Thread(AcceptLoop) { IsBackground = true }.Start();
    }

    /// <summary>lond's answer through lonc: <c>echo:x</c> → <c>x</c>, anything else → <c>unknown_cmd</c>.</summary>
    public static string? Echo(string line) =>
        line.StartsWith("echo:", StringComparison.Ordinal) ? line[5..] : "unknown_cmd";

    public string SocketPath { get; }
    public Func<string, string?> Respond { get; set; }
    public int Connections => Volatile.Read(ref _connections);

    private void AcceptLoop()
    {
        while (true)
        {
            Socket s;
            try
            {
                s = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            new Thread(() => Serve(s)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Socket s)
    {
        using (s)
        {
            var reader = new SocketLineReader(s);
            while (reader.TryReadLine(out var raw))
            {
                var reply = Respond(Encoding.UTF8.GetString(raw));
                if (reply == null)
                    return;
                try
                {
                    s.Send(Encoding.UTF8.GetBytes(reply + "\n"));
                }
                catch (SocketException)
                {
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
