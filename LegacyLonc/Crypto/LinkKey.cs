using System.Text;

namespace LegacyLonc.Crypto;

/// <summary>Key derivation of spec §6.2: ids folded to digits, interleaved with the buildkey, Perl pack("H32").</summary>
/// <remarks>
/// Both ends compute it: lonc with (remote id, own lonHostID), lond with (own id, client id).
/// Strings are taken as Latin-1, one byte per character, as Perl sees a line read from a socket.
/// <para>
/// The caller passes the buildkey with its line terminator already removed. lonc 1.53 did not chomp it
/// (<c>my $buildkey=londtransaction($remotesock,"ekey",60)</c>), so its key differed from lond's whenever
/// <c>len(ids) + len(buildkey) &lt; 32</c> put the <c>\n</c> (nibble A) inside the 32 characters; stripping it
/// is what makes both ends agree.
/// </para>
/// </remarks>
public static class LinkKey
{
    /// <summary>Characters of the interleaved string that go into the key (32 nibbles = 16 bytes).</summary>
    public const int MaterialLength = 32;

    /// <summary>The 16-byte IDEA key for a link from <paramref name="clientId"/> to <paramref name="serverId"/>.</summary>
    public static byte[] Derive(string serverId, string clientId, string buildKey) =>
        Derive(Encoding.Latin1.GetBytes(serverId), Encoding.Latin1.GetBytes(clientId), Encoding.Latin1.GetBytes(buildKey));

    /// <summary>The byte form of <see cref="Derive(string, string, string)"/>.</summary>
    public static byte[] Derive(ReadOnlySpan<byte> serverId, ReadOnlySpan<byte> clientId, ReadOnlySpan<byte> buildKey) =>
        PerlPack.H(Material(serverId, clientId, buildKey), MaterialLength);

    /// <summary>
    /// The (at most 32-character) string that is packed: <c>k.B.k.B.k.B</c> cut to 32, where
    /// <c>k = uc(server.client)</c> with <c>tr/G-P/0-9/</c> and <c>tr/Q-Z/0-9/</c>. Shorter when k and B are
    /// short; pack("H32") then pads with zero nibbles.
    /// </summary>
    public static byte[] Material(ReadOnlySpan<byte> serverId, ReadOnlySpan<byte> clientId, ReadOnlySpan<byte> buildKey)
    {
        var k = new byte[serverId.Length + clientId.Length];
        serverId.CopyTo(k);
        clientId.CopyTo(k.AsSpan(serverId.Length));
        for (var i = 0; i < k.Length; i++)
            k[i] = Fold(k[i]);

        var total = Math.Min(MaterialLength, 3 * (k.Length + buildKey.Length));
        var material = new byte[total];
        var at = 0;
        for (var round = 0; round < 3 && at < total; round++)
        {
            at += Append(material, at, k);
            at += Append(material, at, buildKey);
        }
        return material;
    }

    /// <summary>The folding of one id character: <c>tr/a-z/A-Z/</c>, then <c>tr/G-P/0-9/</c>, then <c>tr/Q-Z/0-9/</c>.</summary>
    public static byte Fold(byte c)
    {
        if (c >= 'a' && c <= 'z')
            c = (byte)(c - 'a' + 'A');
        if (c >= 'G' && c <= 'P')
            return (byte)('0' + (c - 'G'));
        if (c >= 'Q' && c <= 'Z')
            return (byte)('0' + (c - 'Q'));
        return c;
    }

    private static int Append(byte[] into, int at, ReadOnlySpan<byte> part)
    {
        var n = Math.Min(part.Length, into.Length - at);
        part[..n].CopyTo(into.AsSpan(at));
        return n;
    }
}
