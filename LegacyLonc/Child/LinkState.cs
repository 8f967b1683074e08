namespace LegacyLonc.Child;

/// <summary>Where a <see cref="LondLink"/> stands; failure lines name it, and a change to closed that explains a failure is logged.</summary>
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
