using System.Text;
using LegacyLonc.Crypto;

namespace LegacyLonc.Tests.Crypto;

public class PerlPackTests
{
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    [Theory]
    [InlineData('0', 0x0)]
    [InlineData('9', 0x9)]
    [InlineData('A', 0xA)]
    [InlineData('f', 0xF)]
    [InlineData('G', 0x0)]
    [InlineData('g', 0x0)]
    [InlineData('Z', 0x3)]
    [InlineData('z', 0x3)]
    [InlineData('_', 0xF)]
    [InlineData('-', 0xD)]
    [InlineData('.', 0xE)]
    [InlineData(' ', 0x0)]
    [InlineData('\n', 0xA)]
    [InlineData('@', 0x0)]
    [InlineData('[', 0xB)]
    [InlineData('`', 0x0)]
    [InlineData('{', 0xB)]
    [InlineData((char)0xE9, 0x9)]
    public void Nibble_follows_perl(char c, int nibble) => Assert.Equal(nibble, PerlPack.Nibble((byte)c));

    [Theory]
    [InlineData("12345", 32, "12345000000000000000000000000000")]
    [InlineData("a", 4, "a000")]
    [InlineData("abc", 3, "abc0")]
    [InlineData("", 32, "00000000000000000000000000000000")]
    [InlineData("0123456789ABCDEF0123456789ABCDEFFFFF", 32, "0123456789abcdef0123456789abcdef")]
    [InlineData("_-. \n\u00e9zZgG", 32, "fde0a933000000000000000000000000")]
    public void H_packs_pads_and_cuts(string input, int nibbles, string hex) =>
        Assert.Equal(hex, Hex(PerlPack.H(Encoding.Latin1.GetBytes(input), nibbles)));

    [PerlFact]
    public void H_matches_perl_for_every_byte_value()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var expected = Perl.Run("print unpack('H*', pack('H512', pack('H*', $ARGV[0])))", Hex(all));
        Assert.Equal(expected, Hex(PerlPack.H(all, 512)));
    }
}
