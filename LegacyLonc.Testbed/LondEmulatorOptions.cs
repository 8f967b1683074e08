using System.Net;

namespace LegacyLonc.Testbed;

/// <summary>Where and as whom a <see cref="LondEmulator"/> listens, and the knobs of its behaviours.</summary>
public sealed class LondEmulatorOptions
{
    /// <summary>Loopback address → the hosts.tab id lond answers as on that address.</summary>
    public required IReadOnlyList<(IPAddress Address, string HostId)> Listen { get; init; }
    public required int Port { get; init; }
    /// <summary>The <c>lonHostID</c> of the lonc that connects (the client id in the key derivation).</summary>
    public required string ClientId { get; init; }
    /// <summary>Requests answered per connection before <see cref="LondBehaviour.DropAfterN"/> closes it.</summary>
    public int DropAfter { get; init; } = 1;
    /// <summary>
    /// Delay before each reply under <see cref="LondBehaviour.Slow"/>, <see cref="LondBehaviour.DropAtMarker"/> and
    /// <see cref="LondBehaviour.HangAtMarker"/>; before the unasked line under
    /// <see cref="LondBehaviour.StrayLine"/>; between bytes under <see cref="LondBehaviour.Trickle"/>; the idle time
    /// before <see cref="LondBehaviour.CloseIdle"/> closes a link.
    /// </summary>
    public int ReplyDelayMs { get; init; } = 0;
    /// <summary>Size of the newline-less answer under <see cref="LondBehaviour.GarbageNoNewline"/> (past lonc's 16 MiB reply limit: a flood).</summary>
    public int GarbageBytes { get; init; } = 4096;
    /// <summary>A fixed <c>ekey</c> answer instead of lond's random one (e.g. a short one to expose a kept newline).</summary>
    public string? BuildKey { get; init; }
    /// <summary>What follows <c>version:</c> in the answer to <c>version:&lt;v&gt;</c>; lond of late 2003 sent its CVS keyword.</summary>
    public string Version { get; init; } = "$Revision: 1.161 $";
    /// <summary>The text that triggers <see cref="LondBehaviour.DropAtMarker"/> and <see cref="LondBehaviour.HangAtMarker"/>.</summary>
    public string FaultMarker { get; init; } = "fault!";
    /// <summary>
    /// False: no init dialogue and no key; every line is a request from the first (echo:, ping, …). Not lond's
    /// protocol: it stands in for an upstream of a plain line relay (the benchmark's C relay) with the same replies.
    /// </summary>
    public bool Handshake { get; init; } = true;
    /// <summary>Keep <see cref="LondEmulator.Requests"/> and <see cref="LondEmulator.Dialogue"/>; off for long benchmark runs (counters still count).</summary>
    public bool Record { get; init; } = true;
    /// <summary>Receives one line per connection event and per line received (the command's <c>--verbose</c>); called from connection threads.</summary>
    public Action<string>? Trace { get; init; }
}
