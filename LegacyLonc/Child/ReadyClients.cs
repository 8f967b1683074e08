namespace LegacyLonc.Child;

/// <summary>
/// The clients that may have request lines to relay, in round-robin order: a batch takes one line from the
/// client at the front, and a client with more goes to the back, behind everyone already waiting. So a client
/// that pipelines hundreds of requests shares each batch with the others instead of filling it, and every
/// client's own lines still leave in the order it sent them. A client is in the queue at most once.
/// </summary>
public sealed class ReadyClients
{
    private readonly Queue<ClientConnection> _queue = new();

    public int Count => _queue.Count;

    /// <summary>Puts <paramref name="client"/> at the back, unless it is already waiting.</summary>
    public void Add(ClientConnection client)
    {
        if (client.Waiting)
            return;
        client.Waiting = true;
        _queue.Enqueue(client);
    }

    /// <summary>The client at the front, taken out of the queue; false when nobody waits.</summary>
    public bool TryTake(out ClientConnection client)
    {
        if (!_queue.TryDequeue(out client!))
            return false;
        client.Waiting = false;
        return true;
    }

    /// <summary>Forgets everybody (the loop is ending).</summary>
    public void Clear()
    {
        while (TryTake(out _))
        {
        }
    }
}
