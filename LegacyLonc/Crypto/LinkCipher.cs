using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace LegacyLonc.Crypto;

/// <summary>
/// The IDEA cipher of one lonc↔lond link (ECB, 8-byte blocks) and the <c>enc:&lt;len&gt;:&lt;hex&gt;</c>
/// framing of encrypted requests and replies (spec §6.3). Byte-oriented like Perl: a "character" is a byte.
/// </summary>
/// <remarks>
/// One instance per link; not thread-safe (it reuses its engines and block buffers between calls).
/// The framing is the same in both directions, so lond-side code (the emulator) uses
/// <see cref="EncryptRequest(ReadOnlySpan{byte})"/> for replies and <see cref="TryDecryptReply(ReadOnlySpan{byte}, out byte[], out string)"/>
/// for requests.
/// </remarks>
public sealed class LinkCipher
{
    /// <summary>IDEA block size in bytes.</summary>
    public const int BlockSize = 8;

    /// <summary>Key size in bytes (the 32 nibbles of pack("H32")).</summary>
    public const int KeySize = 16;

    private static ReadOnlySpan<byte> Prefix => "enc:"u8;
    private static ReadOnlySpan<byte> LowerHex => "0123456789abcdef"u8;

    // IdeaEngine keeps one key schedule per direction, hence two engines.
    private readonly IdeaEngine _encryptor = new();
    private readonly IdeaEngine _decryptor = new();
    private readonly byte[] _blockIn = new byte[BlockSize];
    private readonly byte[] _blockOut = new byte[BlockSize];

    public LinkCipher(byte[] key16)
    {
        ArgumentNullException.ThrowIfNull(key16);
        if (key16.Length != KeySize)
            throw new ArgumentException($"IDEA key must be {KeySize} bytes, got {key16.Length}", nameof(key16));
        _encryptor.Init(true, new KeyParameter(key16));
        _decryptor.Init(false, new KeyParameter(key16));
    }

    /// <summary>True when <paramref name="line"/> is an <c>enc:</c> frame that <see cref="TryDecryptReply(ReadOnlySpan{byte}, out byte[], out string)"/> should take.</summary>
    /// <remarks>lonc 1.53 tested <c>/^enc/</c>, so a plain reply such as <c>encoding</c> was mangled; we require the colon.</remarks>
    public static bool IsEncReply(ReadOnlySpan<byte> line) => line.StartsWith(Prefix);

    /// <summary>Builds the wire line (without newline) for the command after <c>encrypt:</c>.</summary>
    /// <remarks>
    /// Space-padded blocks for offsets 0, 8, … while offset ≤ len, as 1.53's loop did: a command whose length
    /// is a multiple of 8 (including the empty one) gets a whole extra block of spaces.
    /// </remarks>
    public byte[] EncryptRequest(ReadOnlySpan<byte> command)
    {
        var len = command.Length;
        var blocks = len / BlockSize + 1;
        Span<byte> digits = stackalloc byte[11];
        len.TryFormat(digits, out var digitCount);

        var line = new byte[Prefix.Length + digitCount + 1 + blocks * 2 * BlockSize];
        Prefix.CopyTo(line);
        var at = Prefix.Length;
        digits[..digitCount].CopyTo(line.AsSpan(at));
        at += digitCount;
        line[at++] = (byte)':';

        for (var offset = 0; offset <= len; offset += BlockSize)
        {
            var take = Math.Min(BlockSize, len - offset);
            command.Slice(offset, take).CopyTo(_blockIn);
            _blockIn.AsSpan(take).Fill((byte)' ');
            _encryptor.ProcessBlock(_blockIn, 0, _blockOut, 0);
            foreach (var b in _blockOut)
            {
                line[at++] = LowerHex[b >> 4];
                line[at++] = LowerHex[b & 0xF];
            }
        }
        return line;
    }

    /// <summary>Latin-1 convenience form of <see cref="EncryptRequest(ReadOnlySpan{byte})"/>.</summary>
    public string EncryptRequest(string command) =>
        Encoding.Latin1.GetString(EncryptRequest(Encoding.Latin1.GetBytes(command)));

    /// <summary>Decodes an <c>enc:&lt;len&gt;:&lt;hex&gt;</c> line (without newline) to the plain text; false + reason when malformed.</summary>
    /// <remarks>
    /// Hex digits of either case. Trailing whitespace (<c>\r</c>, <c>\n</c>, space, tab) is ignored: 1.53 chomped
    /// only <c>\n</c>, and pack("H16") turned a stray <c>\r</c> into one more block that the length cut off again,
    /// so such lines decoded there too. Anything else 1.53 would have decrypted to silent garbage (non-hex
    /// characters, a hex length that is not whole blocks, a third <c>:</c> field, a length beyond the data) is
    /// rejected here with the reason.
    /// </remarks>
    public bool TryDecryptReply(ReadOnlySpan<byte> line, out byte[] plain, out string error)
    {
        plain = Array.Empty<byte>();
        line = TrimTrailingWhitespace(line);
        if (!IsEncReply(line))
            return Fail("not an enc: line", out error);

        var rest = line[Prefix.Length..];
        var colon = rest.IndexOf((byte)':');
        if (colon < 0)
            return Fail("enc: line has no ':' between length and hex", out error);
        if (!TryParseLength(rest[..colon], out var len))
            return Fail($"enc: length '{Show(rest[..colon])}' is not a non-negative decimal number", out error);

        var hex = rest[(colon + 1)..];
        if (hex.IsEmpty)
            return Fail("enc: hex part is empty", out error);
        if (hex.Length % (2 * BlockSize) != 0)
            return Fail($"enc: hex part has {hex.Length} characters, not a whole number of {2 * BlockSize}-character blocks", out error);
        var dataLength = hex.Length / 2;
        if (len > dataLength)
            return Fail($"enc: length {len} exceeds the {dataLength} bytes of data", out error);

        var decrypted = new byte[dataLength];
        for (var block = 0; block < dataLength / BlockSize; block++)
        {
            for (var i = 0; i < BlockSize; i++)
            {
                var at = (block * BlockSize + i) * 2;
                var hi = HexValue(hex[at]);
                var lo = HexValue(hex[at + 1]);
                if (hi < 0 || lo < 0)
                {
                    var bad = hi < 0 ? at : at + 1;
                    return Fail($"enc: non-hex character '{Show(hex.Slice(bad, 1))}' at hex offset {bad}", out error);
                }
                _blockIn[i] = (byte)(hi << 4 | lo);
            }
            _decryptor.ProcessBlock(_blockIn, 0, decrypted, block * BlockSize);
        }

        if (len < dataLength)
            Array.Resize(ref decrypted, len);
        plain = decrypted;
        error = "";
        return true;
    }

    /// <summary>Latin-1 convenience form of <see cref="TryDecryptReply(ReadOnlySpan{byte}, out byte[], out string)"/>.</summary>
    public bool TryDecryptReply(string line, out string plain, out string error)
    {
        var ok = TryDecryptReply(Encoding.Latin1.GetBytes(line), out var bytes, out error);
        plain = Encoding.Latin1.GetString(bytes);
        return ok;
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }

    private static ReadOnlySpan<byte> TrimTrailingWhitespace(ReadOnlySpan<byte> line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
            end--;
        return line[..end];
    }

    private static bool TryParseLength(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        // Nine digits keep the value inside int; no real line is anywhere near that long.
        if (digits.IsEmpty || digits.Length > 9)
            return false;
        foreach (var d in digits)
        {
            if (d < '0' || d > '9')
                return false;
            value = value * 10 + (d - '0');
        }
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    // Error texts show bytes as Latin-1 with control characters escaped, cut to a readable length.
    private static string Show(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, 40)])
            sb.Append(b is < 0x20 or 0x7F ? $"\\x{b:x2}" : ((char)b).ToString());
        if (bytes.Length > 40)
            sb.Append("...");
        return sb.ToString();
    }
}
