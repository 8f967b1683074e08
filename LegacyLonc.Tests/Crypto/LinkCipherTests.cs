using System.Text;
using LegacyLonc.Crypto;

namespace LegacyLonc.Tests.Crypto;

/// <summary>IDEA vectors, spec §6.4 framing rows byte for byte, round trips and every malformed <c>enc:</c> shape.</summary>
public class LinkCipherTests
{
    private const string SpecKey = "62451624a13813371060283aee79b133";

    private static LinkCipher Cipher(string hexKey = SpecKey) => new(Convert.FromHexString(hexKey));
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
    private static byte[] L1(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Spec_key_is_the_derived_key_of_row_one() =>
        Assert.Equal(SpecKey, Hex(LinkKey.Derive("msul1", "msua1", "3813371060283AEE79B13372")));

    [Fact]
    public void Standard_idea_vector()
    {
        var cipher = Cipher("00010002000300040005000600070008");
        var line = Encoding.Latin1.GetString(cipher.EncryptRequest(Convert.FromHexString("0000000100020003")));
        Assert.StartsWith("enc:8:11fbed2b01986de5", line);
        Assert.True(cipher.TryDecryptReply(L1("enc:8:11fbed2b01986de5"), out var plain, out var error), error);
        Assert.Equal("0000000100020003", Hex(plain));
    }

    [Fact]
    public void Crypt_idea_documentation_vector()
    {
        var cipher = new LinkCipher(PerlPack.H(L1("0123456789ABCDEF0123456789ABCDEF"), 32));
        Assert.StartsWith("enc:8:2954ff1c43d70932", cipher.EncryptRequest("plaintex"));
        Assert.True(cipher.TryDecryptReply("enc:8:2954FF1C43D70932", out var plain, out _));
        Assert.Equal("plaintex", plain);
    }

    [Theory]
    [InlineData("currentauth:msu:smith", "enc:21:8719717cdc99beaa57d7d2e0f13cc7f92124049efd5e0e09")]
    [InlineData("auth:msu:smith:secret", "enc:21:4b18a8ede632cb4e38c373c37d693ff96b544fcb1f746b79")]
    [InlineData("passwd:msu:jdoe", "enc:15:6b1c72c1b8944e745817ccc60c2f14a6")]
    [InlineData("abcdefg", "enc:7:73d665a145a71ae9")]
    [InlineData("", "enc:0:3fed24994b125af0")]
    public void Spec_framing_rows(string command, string wire)
    {
        var cipher = Cipher();
        Assert.Equal(wire, Encoding.Latin1.GetString(cipher.EncryptRequest(L1(command))));
        Assert.Equal(wire, cipher.EncryptRequest(command));
        Assert.True(cipher.TryDecryptReply(L1(wire), out var plain, out var error), error);
        Assert.Equal(command, Encoding.Latin1.GetString(plain));
        Assert.True(cipher.TryDecryptReply(wire.ToUpperInvariant().Replace("ENC:", "enc:"), out var fromUpper, out _));
        Assert.Equal(command, fromUpper);
    }

    [Fact]
    public void Spec_single_blocks()
    {
        var cipher = Cipher();
        Assert.StartsWith("enc:8:8719717cdc99beaa3fed24994b125af0", cipher.EncryptRequest("currenta"));
        Assert.Equal("enc:8:3fed24994b125af03fed24994b125af0", cipher.EncryptRequest("        "));
    }

    [Fact]
    public void Block_count_is_len_over_8_plus_1()
    {
        var cipher = Cipher();
        foreach (var len in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 64 })
        {
            var line = cipher.EncryptRequest(new string('x', len));
            var hex = line[(line.LastIndexOf(':') + 1)..];
            Assert.Equal((len / 8 + 1) * 16, hex.Length);
            Assert.Equal($"enc:{len}:", line[..(line.Length - hex.Length)]);
        }
    }

    [Fact]
    public void Random_lines_round_trip()
    {
        var rnd = new Random(20030731);
        var encryptor = Cipher();
        var decryptor = Cipher(); // the other end of the link: same key, its own instance
        for (var i = 0; i < 300; i++)
        {
            var line = new byte[i < 10 ? i : rnd.Next(0, 2001)];
            rnd.NextBytes(line);
            var wire = encryptor.EncryptRequest(line);
            Assert.True(decryptor.TryDecryptReply(wire, out var plain, out var error), error);
            Assert.Equal(line, plain);
        }
    }

    [Fact]
    public void Is_enc_reply_needs_the_colon()
    {
        Assert.True(LinkCipher.IsEncReply("enc:0:3fed24994b125af0"u8));
        Assert.True(LinkCipher.IsEncReply("enc:"u8));
        Assert.False(LinkCipher.IsEncReply("encoding&x=1"u8));
        Assert.False(LinkCipher.IsEncReply("ENC:0:00"u8));
        Assert.False(LinkCipher.IsEncReply("ok"u8));
        Assert.False(LinkCipher.IsEncReply(""u8));
    }

    [Theory]
    [InlineData("enc:7:73d665a145a71ae9\r")]
    [InlineData("enc:7:73d665a145a71ae9\n")]
    [InlineData("enc:7:73d665a145a71ae9\r\n")]
    [InlineData("enc:7:73d665a145a71ae9 \t")]
    public void Trailing_whitespace_is_tolerated(string wire)
    {
        Assert.True(Cipher().TryDecryptReply(wire, out var plain, out var error), error);
        Assert.Equal("abcdefg", plain);
    }

    [Fact]
    public void Length_shorter_than_the_data_is_a_prefix()
    {
        Assert.True(Cipher().TryDecryptReply("enc:3:73d665a145a71ae9", out var plain, out _));
        Assert.Equal("abc", plain);
        Assert.True(Cipher().TryDecryptReply("enc:8:73d665a145a71ae9", out var padded, out _));
        Assert.Equal("abcdefg ", padded);
    }

    [Theory]
    [InlineData("", "not an enc: line")]
    [InlineData("ok", "not an enc: line")]
    [InlineData("encoding", "not an enc: line")]
    [InlineData("enc:", "no ':'")]
    [InlineData("enc:7", "no ':'")]
    [InlineData("enc:73d665a145a71ae9", "no ':'")]
    [InlineData("enc::73d665a145a71ae9", "length '' is not")]
    [InlineData("enc:-7:73d665a145a71ae9", "length '-7' is not")]
    [InlineData("enc:+7:73d665a145a71ae9", "length '+7' is not")]
    [InlineData("enc:seven:73d665a145a71ae9", "length 'seven' is not")]
    [InlineData("enc:7 :73d665a145a71ae9", "length '7 ' is not")]
    [InlineData("enc:99999999999:73d665a145a71ae9", "is not a non-negative decimal")]
    [InlineData("enc:7:", "hex part is empty")]
    [InlineData("enc:7:73d665a145a71ae", "15 characters")]
    [InlineData("enc:7:73d665a145a71ae9a", "17 characters")]
    [InlineData("enc:7:73d665a1", "8 characters")]
    [InlineData("enc:9:73d665a145a71ae9", "length 9 exceeds the 8 bytes")]
    [InlineData("enc:7:73d665a145a71aeg", "non-hex character 'g' at hex offset 15")]
    [InlineData("enc:7:73d665a1 5a71ae9", "non-hex character ' ' at hex offset 8")]
    [InlineData("enc:7:73d665a1\r5a71ae9", "non-hex character '\\x0d' at hex offset 8")]
    [InlineData("enc:7:73d665a145a71ae9:x", "characters, not a whole number")]
    [InlineData("enc:7:73d665a145a71ae9:xxxxxxxxxxxxxxx", "non-hex character ':' at hex offset 16")]
    public void Malformed_enc_lines_are_refused_with_a_reason(string wire, string reason)
    {
        var ok = Cipher().TryDecryptReply(L1(wire), out var plain, out var error);
        Assert.False(ok);
        Assert.Empty(plain);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Key_must_be_sixteen_bytes() =>
        Assert.Throws<ArgumentException>(() => new LinkCipher(new byte[15]));
}
