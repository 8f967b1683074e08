using System.Net.Sockets;
using System.Text;

namespace LegacyLonc.Tests.Support;

/// <summary>lonnet's subreply(): connect to a lonc UNIX socket, write one line, read one line, hang up.</summary>
public static class UnixClient
{
    /// <summary>Sends <paramref name="line"/> and returns the reply without its newline; null when the socket is absent, refused or silent.</summary>
    public static string? Request(string socketPath, string line, int timeoutMs = 10000)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            return null;
        }
        s.ReceiveTimeout = timeoutMs;
        s.SendTimeout = timeoutMs;
        try
        {
            s.Send(Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (SocketException)
        {
            // A child refusing a client (at its descriptor limit) answers con_lost and closes before the request is
            // written: what it said is still there to read, as lonnet would.
        }
        return ReadLine(s);
    }

    /// <summary>Reads one '\n'-terminated line (newline stripped); null on EOF/timeout before a newline.</summary>
    public static string? ReadLine(Socket s)
    {
        var buf = new List<byte>();
        var one = new byte[1];
        try
        {
            while (true)
            {
                var n = s.Receive(one);
                if (n == 0)
                    return null;
                if (one[0] == (byte)'\n')
                    return Encoding.UTF8.GetString(buf.ToArray());
                buf.Add(one[0]);
            }
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
