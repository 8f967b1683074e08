using LegacyLonc.Status;

namespace LegacyLonc.Tests.Status;

public sealed class PidFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-pid-").FullName;
    private string PathOf(string name = "lonc.pid") => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_the_pid_and_a_newline_into_the_file_it_holds()
    {
        var f = new PidFile(PathOf());
        Assert.Null(f.Take());
        Assert.Null(f.Write(4242));
        Assert.Equal("4242\n", File.ReadAllText(f.Path));
        Assert.Equal(4242, f.ReadPid());
        f.Release();
    }

    [Fact]
    public void A_file_left_with_another_mode_and_a_longer_content_gets_mode_0644_and_only_the_pid()
    {
        File.WriteAllText(PathOf(), "123456789\nold junk\n");
        File.SetUnixFileMode(PathOf(), (UnixFileMode)0x1B6);  // 0666
        var f = new PidFile(PathOf());

        Assert.Null(f.Take());
        Assert.Null(f.Write(4242));

        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(f.Path));
        Assert.Equal("4242\n", File.ReadAllText(f.Path));
        f.Release();
    }

    [Fact]
    public void While_one_holds_the_lock_another_is_refused_naming_the_pid_whatever_process_it_is()
    {
        var first = new PidFile(PathOf());
        Assert.Null(first.Take());
        Assert.Null(first.Write(4242));

        Assert.Equal($"already running (pid 4242 in {PathOf()})", new PidFile(PathOf()).Take());

        first.Release();
        var next = new PidFile(PathOf());
        Assert.Null(next.Take());
        next.Release();
    }

    [Fact]
    public void Letting_go_without_a_pid_written_leaves_no_empty_file_but_a_written_one_stays()
    {
        var f = new PidFile(PathOf());
        Assert.Null(f.Take());
        f.Release();
        Assert.False(File.Exists(PathOf()));

        Assert.Null(f.Take());
        Assert.Null(f.Write(4242));
        f.Release();
        Assert.Equal("4242\n", File.ReadAllText(PathOf()));
    }

    [Fact]
    public void A_pid_file_naming_a_live_process_that_holds_no_lock_does_not_block()
    {
        // This test process is alive; 1.53 would have refused "already running" for as long as it runs.
        File.WriteAllText(PathOf(), $"{Environment.ProcessId}\n");
        var f = new PidFile(PathOf());

        Assert.Null(f.Take());
        f.Release();
    }

    [Fact]
    public void A_symbolic_link_is_not_followed_and_is_refused()
    {
        var target = PathOf("elsewhere");
        File.WriteAllText(target, "precious\n");
        File.CreateSymbolicLink(PathOf(), target);

        Assert.Equal($"{PathOf()} is a symbolic link; lonc opens it only as a regular file: remove the link", new PidFile(PathOf()).Take());
        Assert.Equal("precious\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_directory_or_a_fifo_in_its_place_is_refused()
    {
        Directory.CreateDirectory(PathOf());
        Assert.StartsWith($"{PathOf()} cannot be opened: ", new PidFile(PathOf()).Take());

        Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(PathOf("fifo"), Mono.Unix.Native.FilePermissions.DEFFILEMODE));
        Assert.Equal($"{PathOf("fifo")} is not a regular file; lonc keeps its pid in a regular file here: move it away",
            new PidFile(PathOf("fifo")).Take());
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
        Assert.Null(f.Take());
        f.Write(1);
        f.Remove();
        f.Release();
        Assert.False(File.Exists(f.Path));
    }
}
