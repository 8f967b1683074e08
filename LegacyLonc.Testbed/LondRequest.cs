namespace LegacyLonc.Testbed;

/// <summary>One request a <see cref="LondEmulator"/> received after the handshake.</summary>
/// <param name="HostId">The id lond answered as (the address connected to).</param>
/// <param name="Connection">Number of the connection it came on (1 = first accepted).</param>
/// <param name="Line">The request, decrypted when it came as <c>enc:</c>; the raw line when that failed.</param>
/// <param name="Encrypted">True when it came as a well-formed <c>enc:</c> line.</param>
public sealed record LondRequest(string HostId, int Connection, string Line, bool Encrypted);
