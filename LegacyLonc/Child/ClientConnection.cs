using System.Net.Sockets;

namespace LegacyLonc.Child;

/// <summary>One lonnet client on the UNIX socket, with its input and output buffers (1.53's per-fd hashes).</summary>
public sealed class ClientConnection : IDisposable
{
    public ClientConnection(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; private set; }

    /// <summary>Reuses this object (and its buffers, emptied) for a newly accepted socket.</summary>
    public ClientConnection Attach(Socket socket)
    {
        Socket = socket;
        Input.Clear();
        Output.Clear();
        Closing = false;
        return this;
    }
    public LineBuffer Input { get; } = new(Limits.MaxRequestLine, 512);
    public OutputBuffer Output { get; } = new();

    /// <summary>Set once the client broke the protocol (oversized line): no more reading, close after the last reply.</summary>
    public bool Closing { get; set; }

    public void Dispose() => Socket.Dispose();
}
