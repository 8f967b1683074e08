using LegacyLonc.Cli;
using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

public class ProcessTitleTests
{
    private static string StatLine(string comm)
    {
        // Fields 3..52 of /proc/<pid>/stat; arg_start (48) = 1000, arg_end (49) = 1234.
        var fields = Enumerable.Range(3, 50).Select(n => n switch { 3 => "S", 48 => "1000", 49 => "1234", _ => n.ToString() });
        return $"4242 ({comm}) " + string.Join(' ', fields);
    }

    [Theory]
    [InlineData("lonc")]
    [InlineData("lonc: Woke up T")]
    [InlineData("a) (b) 7 8")]
    public void Finds_the_argv_area_whatever_the_command_name_holds(string comm)
    {
        Assert.Equal((1000L, 1234L), ProcessTitle.ParseArgvArea(StatLine(comm)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (lonc) S 1 2 3")]
    [InlineData("no parenthesis at all")]
    public void A_short_or_odd_stat_line_gives_no_area(string line)
    {
        Assert.Null(ProcessTitle.ParseArgvArea(line));
    }

    [Fact]
    public void This_process_has_an_argv_area()
    {
        var area = ProcessTitle.ParseArgvArea(File.ReadAllText("/proc/self/stat"));
        Assert.NotNull(area);
        Assert.True(area.Value.End > area.Value.Start);
    }

    [Fact]
    public void The_room_argument_is_ignored_by_the_option_parser()
    {
        Assert.StartsWith(ProcessTitle.RoomPrefix, ProcessTitle.RoomArgument);
        Assert.True(ProcessTitle.RoomArgument.Length >= ProcessTitle.RoomBytes);
        var options = LoncOptions.Parse(new[] { "--child", "h1", ProcessTitle.RoomArgument });
        Assert.Equal("h1", options.ChildHost);
    }
}
