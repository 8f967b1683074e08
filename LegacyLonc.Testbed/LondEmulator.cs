using System.Net;

namespace LegacyLonc.Testbed;

/// <summary>Where and as whom a <see cref="LondEmulator"/> listens.</summary>
public sealed class LondEmulatorOptions
{
    /// <summary>Loopback address → the hosts.tab id lond answers as on that address.</summary>
    public required IReadOnlyList<(IPAddress Address, string HostId)> Listen { get; init; }
    public required int Port { get; init; }
    /// <summary>The <c>lonHostID</c> of the lonc that connects (the client id in the key derivation).</summary>
    public required string ClientId { get; init; }
    public int DropAfter { get; init; } = 1;
    public int ReplyDelayMs { get; init; } = 0;
    public int GarbageBytes { get; init; } = 4096;
}

/// <summary>
/// A loopback stand-in for a remote lond (spec §8): init/challenge/ok, sethost:, version:, pong, ekey
/// (with the project's key derivation and cipher), then one reply line per request line.
/// Commands: <c>ping</c> → host id; <c>echo:&lt;text&gt;</c> → text; <c>enc:</c> lines are decrypted first;
/// <c>exit</c> → <c>bye</c> and close; anything else → <c>unknown_cmd</c>... every request (decrypted) is recorded.
/// </summary>
public sealed class LondEmulator : IDisposable
{
    public LondEmulator(LondEmulatorOptions options) => throw new NotImplementedException();

    /// <summary>Binds every listen address (throws if one is in use) and starts serving on background threads.</summary>
    public void Start() => throw new NotImplementedException();

    /// <summary>Closes the listeners and every open connection (lond going away).</summary>
    public void Stop() => throw new NotImplementedException();

    public LondBehaviour Behaviour { get; set; }

    /// <summary>Every request line received after a handshake, decrypted, in arrival order (thread-safe snapshot).</summary>
    public IReadOnlyList<string> Requests => throw new NotImplementedException();

    /// <summary>Every line received, handshake included, as "<c>&lt;hostId&gt; &lt;line&gt;</c>" (thread-safe snapshot).</summary>
    public IReadOnlyList<string> Dialogue => throw new NotImplementedException();

    /// <summary>Connections accepted so far.</summary>
    public int Connections => throw new NotImplementedException();

    /// <summary>Completed handshakes (ekey answered) so far.</summary>
    public int Handshakes => throw new NotImplementedException();

    public void Dispose() => Stop();
}
