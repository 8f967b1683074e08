using LegacyLonc.Cli;
using LegacyLonc.Parent;
using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Parent;

public class ImageArgumentsTests
{
    [Fact]
    public void A_child_gets_host_conf_dir_user_its_report_and_configuration_descriptors_and_title_room()
    {
        var args = ImageArguments.ForChild("msul1", "/etc/httpd/conf", "www");
        Assert.Equal(new[] { "--child", "msul1", "--conf-dir", "/etc/httpd/conf", "--user", "www", "--report-fd", "3", "--config-fd", "4", ProcessTitle.RoomArgument }, args);

        var parsed = LoncOptions.Parse(args);
        Assert.Equal(LoncMode.Child, parsed.Mode);
        Assert.Equal("msul1", parsed.ChildHost);
        Assert.Equal("www", parsed.User);
        Assert.Equal(3, parsed.ReportFd);
        Assert.Equal(4, parsed.ConfigFd);
        Assert.Throws<UsageException>(() => LoncOptions.Parse(new[] { "--report-fd", "2" }));
        Assert.Throws<UsageException>(() => LoncOptions.Parse(new[] { "--config-fd", "x" }));
    }

    [Fact]
    public void The_detached_daemon_keeps_the_arguments_and_adds_detached_once()
    {
        var args = ImageArguments.ForDetached(new[] { "--conf-dir", "/c", ProcessTitle.RoomArgument });
        Assert.Equal(new[] { "--conf-dir", "/c", "--detached", ProcessTitle.RoomArgument }, args);
        Assert.True(LoncOptions.Parse(args).Detached);
    }

    [Theory]
    [InlineData("--foreground")]
    [InlineData("--detached")]
    public void A_restart_repeats_the_arguments_and_never_detaches_again(string mode)
    {
        var original = LoncOptions.Parse(new[] { "--conf-dir", "/c", "--user", "u", mode, ProcessTitle.RoomArgument });
        var args = ImageArguments.ForRestart(original);

        Assert.Equal(new[] { "--conf-dir", "/c", "--user", "u", mode, ProcessTitle.RoomArgument }, args);
        var again = LoncOptions.Parse(args);
        Assert.True(again.Foreground || again.Detached);
    }

    [Fact]
    public void A_restart_of_an_undecided_daemon_is_detached()
    {
        var args = ImageArguments.ForRestart(LoncOptions.Parse(new[] { "--conf-dir", "/c" }));
        Assert.True(LoncOptions.Parse(args).Detached);
    }
}
