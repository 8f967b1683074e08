using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

/// <summary>lonnet's delayed-message names, <c>&lt;epoch&gt;.&lt;count&gt;.&lt;pid&gt;.&lt;cmd&gt;.&lt;host&gt;</c>: the host is everything after the fourth dot.</summary>
public class SpoolFileNameTests
{
    [Theory]
    [InlineData("1100000000.0.123.echofirst.h1", "h1")]
    [InlineData("1100000000.0.123.echofirst.msu.l1", "msu.l1")]
    [InlineData("1100000000.12.4567.encryptput_x9.a.b.c", "a.b.c")]
    [InlineData("1100000000.0.123..h1", "h1")]
    public void The_host_is_everything_after_the_fourth_dot(string name, string host)
    {
        Assert.Equal(host, SpoolFileName.HostOf(name));
        Assert.True(SpoolFileName.IsFor(name, host));
    }

    [Fact]
    public void A_message_for_msu_l1_is_not_for_l1()
    {
        Assert.False(SpoolFileName.IsFor("1100000000.0.123.put.msu.l1", "l1"));
        Assert.True(SpoolFileName.IsFor("1100000000.0.123.put.l1", "l1"));
        Assert.False(SpoolFileName.IsFor("1100000000.0.123.put.l1", "msu.l1"));
    }

    [Theory]
    [InlineData("garbage.h1")]
    [InlineData("1100000000.0.123.h1")]
    [InlineData("1100000000.0.123.cmd.")]
    [InlineData("x100000000.0.123.cmd.h1")]
    [InlineData(".0.123.cmd.h1")]
    [InlineData("1100000000..123.cmd.h1")]
    [InlineData("1100000000.0.12a.cmd.h1")]
    [InlineData("1100000000.0.123.cmd-x.h1")]
    [InlineData("1100000000.0.123.cmd:x.h1")]
    [InlineData("")]
    public void A_name_not_shaped_as_lonnet_names_spool_files_has_no_host(string name)
    {
        Assert.Null(SpoolFileName.HostOf(name));
        Assert.False(SpoolFileName.IsFor(name, "h1"));
    }
}
