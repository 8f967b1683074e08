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
    public void Bytes_are_read_as_latin1_like_perl()
    {
        Assert.Equal("\u00e9\u001b", PeerText.Quote(new byte[] { 0xe9, 0x1b }));
    }
}
