using System.Text;
using LegacyLonc.Crypto;

namespace LegacyLonc.Tests.Crypto;

/// <summary>Spec §6.4 key-derivation rows, byte for byte, plus a cross-check against Perl's own tr/pack.</summary>
public class LinkKeyTests
{
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
    private static byte[] L1(string s) => Encoding.Latin1.GetBytes(s);

    [Theory]
    [InlineData("msul1", "msua1", "3813371060283AEE79B13372", "62451624A13813371060283AEE79B133", "62451624a13813371060283aee79b133")]
    [InlineData("msul1", "msua1", "12345", "62451624A11234562451624A11234562", "62451624a11234562451624a11234562")]
    [InlineData("msul1", "msua1", "12345\n", "62451624A112345\n62451624A112345\n", "62451624a112345a62451624a112345a")]
    [InlineData("annarborl1", "basementl1", "57721061234567C8D4112", "A77A1B8151BA2E6E7351577210612345", "a77a1b8151ba2e6e7351577210612345")]
    [InlineData("gerdl1", "lbl_2", "9", "0E1D515B5_290E1D515B5_290E1D515B", "0e1d515b5f290e1d515b5f290e1d515b")]
    public void Spec_rows(string server, string client, string buildKey, string material, string key)
    {
        Assert.Equal(material, Encoding.Latin1.GetString(LinkKey.Material(L1(server), L1(client), L1(buildKey))));
        Assert.Equal(key, Hex(LinkKey.Derive(server, client, buildKey)));
        Assert.Equal(key, Hex(LinkKey.Derive(L1(server), L1(client), L1(buildKey))));
    }

    [Fact]
    public void Unchomped_buildkey_gives_a_different_key_than_lond_when_short()
    {
        // The 1.53 hazard (spec §6.2): lond never sees the newline, lonc 1.53 kept it.
        Assert.NotEqual(Hex(LinkKey.Derive("msul1", "msua1", "12345")), Hex(LinkKey.Derive("msul1", "msua1", "12345\n")));
        // With a long buildkey the newline falls past the 32 characters and both agree.
        Assert.Equal(Hex(LinkKey.Derive("msul1", "msua1", "3813371060283AEE79B13372")),
            Hex(LinkKey.Derive("msul1", "msua1", "3813371060283AEE79B13372\n")));
    }

    [Fact]
    public void Short_material_is_padded_with_zero_nibbles()
    {
        Assert.Empty(LinkKey.Material(L1(""), L1(""), L1("")));
        Assert.Equal("aaa00000000000000000000000000000", Hex(LinkKey.Derive("", "", "A")));
        Assert.Equal("00000000000000000000000000000000", Hex(LinkKey.Derive("", "", "")));
        Assert.Equal("12121200000000000000000000000000", Hex(LinkKey.Derive("", "h", "2")));
    }

    [Theory]
    [InlineData('a', 'A')]
    [InlineData('f', 'F')]
    [InlineData('g', '0')]
    [InlineData('P', '9')]
    [InlineData('q', '0')]
    [InlineData('Z', '9')]
    [InlineData('_', '_')]
    [InlineData('7', '7')]
    public void Fold_is_uc_then_two_tr(char from, char to) => Assert.Equal((byte)to, LinkKey.Fold((byte)from));

    [PerlFact]
    public void Derive_matches_perl_for_random_ids()
    {
        const string script = """
            my ($s, $c, $b) = map { pack('H*', $_) } @ARGV;
            my $k = $s . $c; $k =~ tr/a-z/A-Z/; $k =~ tr/G-P/0-9/; $k =~ tr/Q-Z/0-9/;
            $k = $k.$b.$k.$b.$k.$b; $k = substr($k, 0, 32);
            print unpack('H*', pack('H32', $k));
            """;
        var rnd = new Random(1953);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
        for (var i = 0; i < 12; i++)
        {
            string Word(int max) => new(Enumerable.Range(0, rnd.Next(0, max)).Select(_ => alphabet[rnd.Next(alphabet.Length)]).ToArray());
            var (server, client, build) = (Word(12), Word(12), Word(31));
            var expected = Perl.Run(script, Hex(L1(server)), Hex(L1(client)), Hex(L1(build)));
            Assert.Equal(expected, Hex(LinkKey.Derive(server, client, build)));
        }
    }
}
