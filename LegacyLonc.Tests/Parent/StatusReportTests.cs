using System.Runtime.InteropServices;
using LegacyLonc.Parent;
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

    [DllImport("libc")]
    private static extern int flock(int fd, int operation);

    [Fact]
    public async Task The_header_waits_for_a_child_that_is_appending_under_the_lock()
    {
        var path = Path.Combine(_dir, "loncstatus.txt");
        File.WriteAllText(path, "old\n");
        var fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_APPEND);
        Assert.True(fd >= 0);
        Assert.Equal(0, flock(fd, 2 /* LOCK_EX */));

        var start = Task.Run(() => StatusReport.Start(path, "Thu Jul 31 14:03:22 2003", 7));
        var early = await Task.WhenAny(start, Task.Delay(300));
        Syscall.close(fd);

        Assert.NotSame(start, early);
        Assert.Same(start, await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal("LONC status Thu Jul 31 14:03:22 2003 - parent 7\n", File.ReadAllText(path));
    }
}
