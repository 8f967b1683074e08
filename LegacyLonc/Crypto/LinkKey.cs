namespace LegacyLonc.Crypto;

/// <summary>Key derivation of spec §6.2: ids folded to digits, interleaved with the buildkey, Perl pack("H32").</summary>
public static class LinkKey
{
    /// <summary>The 16-byte IDEA key for a link from <paramref name="clientId"/> to <paramref name="serverId"/>.</summary>
    public static byte[] Derive(string serverId, string clientId, string buildKey) => throw new NotImplementedException();
}
