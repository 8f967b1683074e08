namespace LegacyLonc.Testbed;

/// <summary>
/// Lets the soak's clients run, park (between requests, connections closed: the daemon quiet for a measurement) or stop.
/// </summary>
internal sealed class SoakGate
{
    private readonly object _lock = new();
    private readonly int _clients;
    private bool _paused;
    private bool _stopped;
    private int _parked;

    public SoakGate(int clients) => _clients = clients;

    /// <summary>True when the client is to park (or stop) before its next request.</summary>
    public bool MustPark
    {
        get { lock (_lock) return _paused || _stopped; }
    }

    /// <summary>Called by a client: waits while paused; false when the run is over.</summary>
    public bool Park()
    {
        lock (_lock)
        {
            _parked++;
            Monitor.PulseAll(_lock);
            while (_paused && !_stopped)
                Monitor.Wait(_lock);
            _parked--;
            return !_stopped;
        }
    }

    /// <summary>Pauses the clients and waits until every one is parked; false if some did not park in <paramref name="timeout"/>.</summary>
    public bool Pause(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            _paused = true;
            while (_parked < _clients)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return false;
                Monitor.Wait(_lock, left);
            }
            return true;
        }
    }

    public void Resume()
    {
        lock (_lock)
        {
            _paused = false;
            Monitor.PulseAll(_lock);
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            Monitor.PulseAll(_lock);
        }
    }
}
