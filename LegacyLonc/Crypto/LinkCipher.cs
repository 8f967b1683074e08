namespace LegacyLonc.Crypto;

/// <summary>
/// The IDEA cipher of one lonc↔lond link (ECB, 8-byte blocks) and the <c>enc:&lt;len&gt;:&lt;hex&gt;</c>
/// framing of encrypted requests and replies (spec §6.3). Byte-oriented like Perl: a "character" is a byte.
/// </summary>
public sealed class LinkCipher
{
    public LinkCipher(byte[] key16) => throw new NotImplementedException();

    /// <summary>Builds the wire line (without newline) for the command after <c>encrypt:</c>.</summary>
    public byte[] EncryptRequest(ReadOnlySpan<byte> command) => throw new NotImplementedException();

    /// <summary>Decodes an <c>enc:&lt;len&gt;:&lt;hex&gt;</c> line (without newline) to the plain text; false + reason when malformed.</summary>
    public bool TryDecryptReply(ReadOnlySpan<byte> line, out byte[] plain, out string error) => throw new NotImplementedException();
}
