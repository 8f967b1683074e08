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
        ReadingPaused = false;
        // Waiting stays as it is: with a window of requests in flight the ready queue may still hold this object,
        // and it then stands in the queue for the new client.
        Gone = false;
        BatchSlot = -1;
        Unanswered = 0;
        Held = null;
        Touched = false;
        return this;
    }

    public LineBuffer Input { get; } = new(Limits.MaxRequestLine, 512);
    public OutputBuffer Output { get; } = new();

    /// <summary>Set once the client broke the protocol (oversized line): no more reading, close after the last reply.</summary>
    public bool Closing { get; set; }

    /// <summary>
    /// Set while the client holds <see cref="Limits.ClientOutputHighWater"/> or more of unread replies: it is not
    /// read from and its buffered requests wait until it took them down to <see cref="Limits.ClientOutputLowWater"/>.
    /// </summary>
    public bool ReadingPaused { get; set; }

    /// <summary>Index of its latest entry in the <see cref="RequestBatch"/> being filled (stale from earlier batches: the batch checks).</summary>
    public int BatchSlot { get; set; } = -1;

    /// <summary>True while the client is in the <see cref="ReadyClients"/> queue.</summary>
    public bool Waiting { get; set; }

    /// <summary>
    /// Set once the client hung up (EOF, or a reply could not be written): it is dropped at the end of the loop turn,
    /// and replies lond still sends for its requests in flight are read and discarded.
    /// </summary>
    public bool Gone { get; set; }

    /// <summary>
    /// With a window of requests in flight (<c>loncPipelineDepth</c> above 1): how many of its requests for lond were
    /// taken and have no answer yet. A client that hung up is not reused for another while this is above 0.
    /// </summary>
    public int Unanswered { get; set; }

    /// <summary>
    /// With a window: a request the child answers itself (<c>reset_retries</c>, an oversized line) that came after
    /// requests still <see cref="Unanswered"/>; it is answered once they are, and the client's later lines wait.
    /// </summary>
    public RequestKind? Held { get; set; }

    /// <summary>With a window: it got answers in this loop turn that are still to be written (it is in the turn's list once).</summary>
    public bool Touched { get; set; }

    /// <summary>Gives back buffers that grew for a long request or many replies (noted for <see cref="HeapTrim"/>).</summary>
    public void ShrinkBuffers()
    {
        HeapTrim.Released(Input.Shrink(Limits.KeepBufferUpTo));
        HeapTrim.Released(Output.Shrink(Limits.KeepBufferUpTo));
    }

    public void Dispose() => Socket.Dispose();
}
