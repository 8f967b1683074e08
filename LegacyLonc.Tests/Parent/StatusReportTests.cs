using LegacyLonc.Parent;

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
}
