using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

public class WaitStatusTests
{
    [Theory]
    [InlineData(0x0000, "exit status 0")]
    [InlineData(0x0300, "exit status 3")]
    [InlineData(0x0009, "signal 9 (SIGKILL)")]
    [InlineData(0x0002, "signal 2 (SIGINT)")]
    [InlineData(0x0086, "signal 6 (SIGABRT, core dumped)")]
    public void Describes_the_way_a_child_ended(int raw, string expected)
    {
        Assert.Equal(expected, new WaitStatus(raw).ToString());
    }

    [Fact]
    public void Decodes_exit_code_and_signal_like_the_W_macros()
    {
        var exited = new WaitStatus(0x0100);
        Assert.True(exited.Exited);
        Assert.False(exited.Signaled);
        Assert.Equal(1, exited.ExitCode);

        var killed = new WaitStatus(0x000f);
        Assert.False(killed.Exited);
        Assert.True(killed.Signaled);
        Assert.Equal(15, killed.TermSignal);
    }
}
