namespace LegacyLonc.Testbed;

/// <summary>One request a <see cref="LondEmulator"/> received after the handshake.</summary>
/// <param name="HostId">The id lond answered as (the address connected to).</param>
/// <param name="Connection">Number of the connection it came on (1 = first accepted).</param>
/// <param name="Line">The request, decrypted when it came as <c>enc:</c>; the raw line when that failed.</param>
/// <param name="Encrypted">True when it came as a well-formed <c>enc:</c> line.</param>
/// <param name="Pipelined">
/// True when it arrived while an earlier request on the same connection was still unanswered (its bytes were there
/// before that reply was sent): the client wrote it without waiting. Never true for a lonc that sends one
/// request at a time, which needs the reply first.
/// </param>
/// <param name="Outstanding">
/// Requests of this connection that lond had received and not yet answered when it took this one, this one included:
/// its replies still unsent, and the lines waiting in its buffer and in the socket. The client had at least as many
/// in flight at that moment (0 when not recording).
/// </param>
public sealed record LondRequest(string HostId, int Connection, string Line, bool Encrypted, bool Pipelined = false, int Outstanding = 0);
