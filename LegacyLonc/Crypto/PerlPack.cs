namespace LegacyLonc.Crypto;

/// <summary>
/// Perl's <c>pack("H&lt;n&gt;", $s)</c> with its exact per-character semantics, which the key derivation
/// of spec §6.2 depends on: every byte of the input becomes a nibble, hex digit or not.
/// </summary>
/// <remarks>
/// Measured with Perl 5.36: an ASCII letter gives <c>(c + 9) &amp; 0xF</c> (so <c>A</c>–<c>F</c> are 10–15 but
/// <c>G</c> is 0, <c>Z</c> is 3), every other byte gives <c>c &amp; 0xF</c> (<c>_</c> → F, <c>-</c> → D,
/// <c>\n</c> → A, space → 0, bytes ≥ 0x80 likewise). Nibbles fill a byte high-first; an input shorter
/// than the count is padded with zero nibbles, a longer one is cut.
/// </remarks>
public static class PerlPack
{
    /// <summary>The nibble Perl's <c>pack H</c> makes of one input byte.</summary>
    public static int Nibble(byte c)
    {
        // Perl tests isALPHA on the byte; for a non-UTF-8 string that is ASCII letters only.
        var isAsciiLetter = (uint)((c | 0x20) - 'a') <= 'z' - 'a';
        return (isAsciiLetter ? c + 9 : c) & 0xF;
    }

    /// <summary><c>pack("H&lt;nibbles&gt;", chars)</c>: <c>(nibbles + 1) / 2</c> bytes.</summary>
    public static byte[] H(ReadOnlySpan<byte> chars, int nibbles)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nibbles);
        var result = new byte[(nibbles + 1) / 2];
        var used = Math.Min(nibbles, chars.Length);
        for (var i = 0; i < used; i++)
        {
            var n = Nibble(chars[i]);
            result[i >> 1] |= (byte)((i & 1) == 0 ? n << 4 : n);
        }
        return result;
    }
}
