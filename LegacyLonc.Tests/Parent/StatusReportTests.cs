using LegacyLonc.Parent;
using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

public sealed class StatusReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-status-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_header_names_time_and_parent()
    {
        Assert.Equal("LONC status Thu Jul 31 14:03:22 2003 - parent 4242\n",
            StatusReport.Header("Thu Jul 31 14:03:22 2003", 4242));
    }

    [Fact]
    public void Start_replaces_the_old_report_and_creates_lon_status()
    {
        var path = Path.Combine(_dir, "lon-status", "loncstatus.txt");
        StatusReport.Start(path, "Thu Jul 31 14:03:22 2003", 1);
        File.AppendAllText(path, "child line\n");
        StatusReport.Start(path, "Thu Jul 31 14:05:00 2003", 2);
        Assert.Equal("LONC status Thu Jul 31 14:05:00 2003 - parent 2\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_link_planted_at_the_report_is_replaced_and_its_target_left_untouched()
    {
        var path = Path.Combine(_dir, "loncstatus.txt");
        var target = Path.Combine(_dir, "precious");
        File.WriteAllText(target, "keep me\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(path, target);

        StatusReport.Start(path, "Thu Jul 31 14:03:22 2003", 7);

        Assert.Equal("keep me\n", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("LONC status Thu Jul 31 14:03:22 2003 - parent 7\n", File.ReadAllText(path));
        Assert.Equal((UnixFileMode)RawFile.ReadableByAll, File.GetUnixFileMode(path));
        Assert.Equal(new[] { "loncstatus.txt", "precious" }, Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_child_holding_the_old_report_locked_does_not_hold_up_the_new_one()
    {
        var path = Path.Combine(_dir, "loncstatus.txt");
        File.WriteAllText(path, "old\n");
        var fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_APPEND);
        Assert.True(fd >= 0);
        Assert.Equal(0, FileLock.Exclusive(fd));
        try
        {
            var start = Task.Run(() => StatusReport.Start(path, "Thu Jul 31 14:03:22 2003", 7));
            Assert.Same(start, await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(10))));
            await start;
            Assert.Equal(new[] { "LONC status Thu Jul 31 14:03:22 2003 - parent 7" }, StatusReport.Read(path));
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    [Fact]
    public void The_parent_writes_its_lines_for_hosts_without_a_serving_child_right_after_the_header()
    {
        var path = Path.Combine(_dir, "loncstatus.txt");
        StatusReport.Start(path, "Thu Jul 31 14:03:22 2003", 7, new[]
        {
            StatusReport.ParentLine("h2", StatusReport.Describe(HostState.Skipped, 5, ""), "Thu Jul 31 14:03:20 2003: <font color=blue>WARNING: Skipped h2 </font>"),
            StatusReport.ParentLine("h3", StatusReport.Describe(HostState.BackingOff, 0, "Thu Jul 31 14:13:22 2003"), ""),
        });

        Assert.Equal(
            "LONC status Thu Jul 31 14:03:22 2003 - parent 7\n" +
            "-\th2\tskipped after 5 attempts\tThu Jul 31 14:03:20 2003: <font color=blue>WARNING: Skipped h2 </font>\n" +
            "-\th3\tbacking off until Thu Jul 31 14:13:22 2003\t\n",
            File.ReadAllText(path));
    }

    [Theory]
    [InlineData(HostState.Starting, 0, "starting")]
    [InlineData(HostState.SleepingAfterFailure, 2, "sleeping after failure")]
    [InlineData(HostState.Skipped, 1, "skipped after 1 attempt")]
    [InlineData(HostState.BackingOff, 3, "backing off until Thu Jul 31 14:13:22 2003")]
    public void States_read_as_words(HostState state, int attempts, string words)
    {
        Assert.Equal(words, StatusReport.Describe(state, attempts, "Thu Jul 31 14:13:22 2003"));
    }

    [Fact]
    public async Task Reading_waits_for_a_child_that_is_appending_under_the_lock()
    {
        var path = Path.Combine(_dir, "loncstatus.txt");
        File.WriteAllText(path, "LONC status x - parent 1\n");
        var fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_APPEND);
        Assert.True(fd >= 0);
        Assert.Equal(0, FileLock.Exclusive(fd));
        // .NET's own reader would give up on the locked file (its shared flock; this test process turns that off,
        // see LegacyLonc.Tests.csproj); StatusReport.Read waits for the lock instead.

        var read = Task.Run(() => StatusReport.Read(path));
        var early = await Task.WhenAny(read, Task.Delay(300));
        var line = "42\th1\tMain loop\tonline\n"u8.ToArray();
        Assert.Equal(line.Length, (int)RawFile.WriteOnce(fd, line, out _));
        Syscall.close(fd);

        Assert.NotSame(read, early);
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(new[] { "LONC status x - parent 1", "42\th1\tMain loop\tonline" }, await read);
        Assert.Empty(StatusReport.Read(Path.Combine(_dir, "missing.txt")));
    }
}
