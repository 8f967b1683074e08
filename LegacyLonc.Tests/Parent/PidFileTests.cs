using LegacyLonc.Parent;

namespace LegacyLonc.Tests.Parent;

public sealed class PidFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-pid-").FullName;
    private string PathOf(string name = "lonc.pid") => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_the_pid_and_a_newline()
    {
        var f = new PidFile(PathOf());
        f.Write(4242);
        Assert.Equal("4242\n", File.ReadAllText(f.Path));
        Assert.Equal(4242, f.ReadPid());
    }

    [Fact]
    public void The_file_gets_mode_0644_even_over_a_stale_temporary_file_with_another_mode()
    {
        var f = new PidFile(PathOf());
        File.WriteAllText(PathOf("lonc.pid.new"), "junk");
        File.SetUnixFileMode(PathOf("lonc.pid.new"), (UnixFileMode)0x1B6);  // 0666

        f.Write(4242);

        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(f.Path));
        Assert.Equal("4242\n", File.ReadAllText(f.Path));
        Assert.False(File.Exists(PathOf("lonc.pid.new")));
    }

    [Fact]
    public void A_failed_write_throws_and_leaves_no_temporary_file()
    {
        // A directory where the pid file belongs: the final rename fails.
        Directory.CreateDirectory(Path.Combine(PathOf(), "in-the-way"));
        var f = new PidFile(PathOf());

        Assert.ThrowsAny<IOException>(() => f.Write(4242));

        Assert.Equal(new[] { PathOf() }, Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("123\n", 123)]
    [InlineData("123", 123)]
    [InlineData(" 123 \nrest\n", 123)]
    [InlineData("", null)]
    [InlineData("abc\n", null)]
    [InlineData("-5\n", null)]
    [InlineData("0\n", null)]
    public void Reads_the_first_line_as_a_pid(string content, int? expected)
    {
        File.WriteAllText(PathOf(), content);
        Assert.Equal(expected, new PidFile(PathOf()).ReadPid());
    }

    [Fact]
    public void A_missing_file_names_no_pid_and_removing_it_is_fine()
    {
        var f = new PidFile(PathOf("absent.pid"));
        Assert.Null(f.ReadPid());
        Assert.Null(f.LivePid());
        f.Remove();
    }

    [Fact]
    public void Only_a_live_process_counts_as_running()
    {
        File.WriteAllText(PathOf(), "4242\n");
        Assert.Equal(4242, new PidFile(PathOf(), _ => true).LivePid());
        Assert.Null(new PidFile(PathOf(), _ => false).LivePid());
    }

    [Fact]
    public void Our_own_pid_is_not_another_instance()
    {
        File.WriteAllText(PathOf(), Environment.ProcessId + "\n");
        Assert.Null(new PidFile(PathOf(), _ => true).LivePid());
    }

    [Fact]
    public void Kill_zero_tells_live_from_dead_processes()
    {
        Assert.True(PidFile.IsAlive(Environment.ProcessId));
        // pid 1 belongs to someone (EPERM for an unprivileged user) but is alive either way.
        Assert.True(PidFile.IsAlive(1));
        Assert.False(PidFile.IsAlive(int.MaxValue - 1));
    }

    [Fact]
    public void Remove_deletes_the_file()
    {
        var f = new PidFile(PathOf());
        f.Write(1);
        f.Remove();
        Assert.False(File.Exists(f.Path));
    }
}
