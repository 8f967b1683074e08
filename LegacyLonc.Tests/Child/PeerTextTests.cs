using System.Text;
using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

public class PeerTextTests
{
    [Fact]
    public void Short_text_is_quoted_whole_long_text_cut_at_200_bytes()
    {
        Assert.Equal("abc\n", PeerText.Quote("abc\n"u8));
        var longText = Encoding.Latin1.GetBytes(new string('z', 500));
        Assert.Equal(new string('z', 200) + "...", PeerText.Quote(longText));
        Assert.Equal(new string('y', 200) + "...", PeerText.Quote(new string('y', 201)));
        Assert.Equal("echo:x", PeerText.Line("echo:x\n"u8));
    }

    [Fact]
    public void Markup_is_escaped_after_the_cut_so_the_quote_stays_bounded()
    {
        Assert.Equal("&lt;script&gt;a&amp;b&lt;/script&gt;", PeerText.Quote("<script>a&b</script>"u8));
        Assert.Equal("&lt;b&gt;", PeerText.Line("<b>\n"u8));
        var quoted = PeerText.Quote(new string('<', 500));
        Assert.Equal(string.Concat(Enumerable.Repeat("&lt;", 200)) + "...", quoted);
    }

    [Fact]
    public void Escape_markup_leaves_text_without_markup_as_it_is()
    {
        const string plain = "put:msu:user:ns:key=value";
        Assert.Same(plain, LegacyLonc.Logging.LogText.EscapeMarkup(plain));
        Assert.Equal("a&amp;amp;b &lt;&gt;", LegacyLonc.Logging.LogText.EscapeMarkup("a&amp;b <>"));
    }

    [Fact]
    public void Bytes_are_read_as_latin1_like_perl()
    {
        Assert.Equal("\u00e9\u001b", PeerText.Quote(new byte[] { 0xe9, 0x1b }));
    }
}
