using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

public class SelfImageTests
{
    [Fact]
    public void The_apphost_runs_itself()
    {
        var image = SelfImage.Locate("/opt/lonc/lonc", "/opt/lonc/lonc.dll");
        Assert.Equal(new[] { "/opt/lonc/lonc", "--child", "h1" }, image.Argv(new[] { "--child", "h1" }));
    }

    [Fact]
    public void Under_the_dotnet_muxer_the_entry_assembly_comes_first()
    {
        var image = SelfImage.Locate("/usr/share/dotnet/dotnet", "/opt/lonc/lonc.dll");
        Assert.Equal(new[] { "/usr/share/dotnet/dotnet", "/opt/lonc/lonc.dll", "--foreground" },
            image.Argv(new[] { "--foreground" }));
    }
}
