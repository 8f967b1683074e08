namespace LegacyLonc.Child;

/// <summary>Where a <see cref="LondLink"/> stands; every change but the per-request ready ⇄ busy is logged, naming the host.</summary>
public enum LinkState
{
    /// <summary>No connection: not opened yet, or closed after a failure or on request.</summary>
    Closed,
    /// <summary>TCP connect in progress (bounded by <c>loncInitTimeout</c>).</summary>
    Connecting,
    /// <summary>Connected; the init dialogue (init, sethost:, version:, pong, ekey) is running.</summary>
    Handshaking,
    /// <summary>Authenticated and idle: nothing may arrive from lond now, and the select loop watches for it.</summary>
    Ready,
    /// <summary>One transaction (request sent, reply awaited) is running.</summary>
    Busy,
}
