using System.Net;
using System.Net.Sockets;
using System.Text;
using LegacyLonc.Crypto;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Testbed;

/// <summary>A bare TCP client speaking lonc's side of the lond protocol, with the real LinkKey/LinkCipher.</summary>
internal sealed class RawLondClient : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketLineReader _reader;

    private RawLondClient(Socket socket)
    {
        _socket = socket;
        _reader = new SocketLineReader(socket);
    }

    public static RawLondClient Connect(IPAddress address, int port, int timeoutMs = 5000)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(new IPEndPoint(address, port));
        s.ReceiveTimeout = timeoutMs;
        s.SendTimeout = timeoutMs;
        return new RawLondClient(s);
    }

    public LinkCipher? Cipher { get; private set; }
    public string? BuildKey { get; private set; }

    public int ReceiveTimeoutMs
    {
        set => _socket.ReceiveTimeout = value;
    }

    public void Send(string line) => SendRaw(Encoding.Latin1.GetBytes(line + "\n"));

    public void SendRaw(byte[] bytes) => _socket.Send(bytes);

    /// <summary>One line without its newline; null on EOF or timeout.</summary>
    public string? ReadLine() => _reader.TryReadLine(out var line) ? Encoding.Latin1.GetString(line) : null;

    public string? Transact(string line)
    {
        Send(line);
        return ReadLine();
    }

    /// <summary>Exactly <paramref name="count"/> raw bytes (or fewer on EOF/timeout).</summary>
    public byte[] ReadBytes(int count)
    {
        var buf = new byte[count];
        var got = 0;
        try
        {
            while (got < count)
            {
                var n = _socket.Receive(buf, got, count - got, SocketFlags.None);
                if (n == 0)
                    break;
                got += n;
            }
        }
        catch (SocketException)
        {
        }
        return buf[..got];
    }

    /// <summary>True when the peer closed: a read returns EOF (a timeout is not EOF).</summary>
    public bool SeesEof()
    {
        try
        {
            return _socket.Receive(new byte[1]) == 0;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.ConnectionReset;
        }
    }

    /// <summary>init → challenge → ok; returns the challenge.</summary>
    public string Init()
    {
        var challenge = Transact("init") ?? throw new InvalidOperationException("no challenge");
        var ok = Transact(challenge);
        Assert.Equal("ok", ok);
        return challenge;
    }

    /// <summary>lonc 1.53's whole opening: init, sethost:, version:, pong, ekey; keys the cipher like lonc (terminator stripped).</summary>
    public LinkCipher Open(string hostId, string clientId)
    {
        Init();
        Assert.Equal("ok", Transact($"sethost:{hostId}"));
        Assert.StartsWith("version:", Transact("version:$Revison$"));
        Assert.StartsWith(hostId, Transact("pong"));
        BuildKey = Transact("ekey") ?? throw new InvalidOperationException("no buildkey");
        Cipher = new LinkCipher(LinkKey.Derive(hostId, clientId, BuildKey));
        return Cipher;
    }

    public void Dispose() => _socket.Dispose();
}
