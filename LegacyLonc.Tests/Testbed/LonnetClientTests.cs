using LegacyLonc.Testbed;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Testbed;

/// <summary>The lonnet-style client and the load run, against an in-test UNIX line server.</summary>
public class LonnetClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Subreply_sends_one_line_per_connection()
    {
        using var server = new UnixLineServer(UnixLineServer.Echo);
        Assert.Equal("hi there", LonnetClient.Subreply(server.SocketPath, "echo:hi there", Timeout, out _));
        Assert.Equal("unknown_cmd", LonnetClient.Subreply(server.SocketPath, "ping", Timeout, out _));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public void Subreply_reports_what_went_missing()
    {
        using var server = new UnixLineServer(_ => null);
        Assert.Null(LonnetClient.Subreply(server.SocketPath, "ping", Timeout, out var eof));
        Assert.Contains("no reply", eof);
        Assert.Null(LonnetClient.Subreply(server.SocketPath + ".absent", "ping", Timeout, out var absent));
        Assert.Contains("cannot connect", absent);
    }

    [Fact]
    public void Subreply_times_out_on_a_silent_server()
    {
        using var gate = new ManualResetEventSlim();
        using var server = new UnixLineServer(_ => { gate.Wait(5000); return "late"; });
        Assert.Null(LonnetClient.Subreply(server.SocketPath, "ping", TimeSpan.FromMilliseconds(200), out var failure));
        Assert.Contains("no reply", failure);
        gate.Set();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_run_checks_every_echo(bool persistent)
    {
        using var server = new UnixLineServer(UnixLineServer.Echo);
        var report = LoadRun.Run(new LoadOptions
        {
            SocketPath = server.SocketPath,
            Clients = 4,
            Requests = 400,
            Persistent = persistent,
            Timeout = Timeout,
        });
        Assert.Equal((400L, 400L, 0L, 0L), (report.Requests, report.Ok, report.Failures, report.Mismatches));
        Assert.True(report.P50Micros > 0 && report.P99Micros >= report.P50Micros);
        Assert.Equal(persistent ? 4 : 400, server.Connections);
    }

    [Fact]
    public void Load_run_counts_mismatches_and_failures()
    {
        var n = 0;
        using var server = new UnixLineServer(line => (Interlocked.Increment(ref n) % 4) switch
        {
            0 => null,                // closed without a reply: failure
            1 => "con_lost",          // lonc's own failure answer: failure
            2 => "someone else's",    // mismatch
            _ => UnixLineServer.Echo(line),
        });
        var problems = new List<string>();
        var report = LoadRun.Run(new LoadOptions
        {
            SocketPath = server.SocketPath,
            Clients = 1,
            Requests = 40,
            Timeout = Timeout,
            OnProblem = p => { lock (problems) problems.Add(p); },
        });
        Assert.Equal((40L, 10L, 20L, 10L), (report.Requests, report.Ok, report.Failures, report.Mismatches));
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void Load_run_by_duration_stops_by_itself()
    {
        using var server = new UnixLineServer(UnixLineServer.Echo);
        var report = LoadRun.Run(new LoadOptions
        {
            SocketPath = server.SocketPath,
            Clients = 2,
            Duration = TimeSpan.FromMilliseconds(200),
            Persistent = true,
            Timeout = Timeout,
        });
        Assert.True(report.Ok > 0);
        Assert.Equal(0, report.Failures + report.Mismatches);
    }

    [Fact]
    public void Load_report_line_round_trips()
    {
        var report = new LoadReport(4, true, 1000, 998, 1, 1, 1.2345, 810.37, 1200, 3400);
        var line = report.Format();
        Assert.Equal("load clients=4 persistent=yes requests=1000 ok=998 failures=1 mismatches=1 seconds=1.235 rps=810.4 p50_us=1200 p99_us=3400", line);
        Assert.True(LoadReport.TryParse(line, out var parsed));
        Assert.Equal(report with { Seconds = 1.235, RequestsPerSecond = 810.4 }, parsed);
        Assert.False(LoadReport.TryParse("load clients=x", out _));
        Assert.False(LoadReport.TryParse("hello", out _));
    }

    [Fact]
    public void Percentile_is_nearest_rank()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (long)i).ToList();
        Assert.Equal(50, LoadReport.Percentile(sorted, 0.50));
        Assert.Equal(99, LoadReport.Percentile(sorted, 0.99));
        Assert.Equal(7, LoadReport.Percentile(new long[] { 7 }, 0.99));
        Assert.Equal(0, LoadReport.Percentile(Array.Empty<long>(), 0.5));
    }

    [Fact]
    public void Client_command_prints_replies_and_con_lost()
    {
        using var server = new UnixLineServer(UnixLineServer.Echo);
        using var ok = LoncProcess.Start(TestBinaries.Testbed, "client", "--socket", server.SocketPath, "echo:one", "echo:two words");
        Assert.True(ok.WaitForExit(Timeout * 2));
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("one\ntwo words\n", ok.StdOut);

        using var missing = LoncProcess.Start(TestBinaries.Testbed, "client", "--socket", server.SocketPath + ".absent", "ping");
        Assert.True(missing.WaitForExit(Timeout * 2));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("con_lost\n", missing.StdOut);
        Assert.Contains("cannot connect", missing.StdErr);
    }

    [Fact]
    public void Client_command_load_prints_one_report_line()
    {
        using var server = new UnixLineServer(UnixLineServer.Echo);
        using var p = LoncProcess.Start(TestBinaries.Testbed, "client", "--socket", server.SocketPath,
            "--load", "--clients", "2", "--requests", "100", "--payload-bytes", "10");
        Assert.True(p.WaitForExit(Timeout * 2));
        Assert.Equal(0, p.ExitCode);
        Assert.True(LoadReport.TryParse(p.StdOut, out var report), p.StdOut);
        Assert.Equal((2, 100L, 100L), (report.Clients, report.Requests, report.Ok));
    }

    [Theory]
    [InlineData("--load")]
    [InlineData("--socket")]
    [InlineData("--socket", "/tmp/x", "--load")]
    [InlineData("--socket", "/tmp/x", "--load", "--seconds", "1", "--requests", "5")]
    [InlineData("--socket", "/tmp/x", "--clients", "0", "--load", "--requests", "5")]
    [InlineData("--socket", "/tmp/x", "--frobnicate")]
    public void Client_command_rejects_bad_usage(params string[] args)
    {
        using var p = LoncProcess.Start(TestBinaries.Testbed, new[] { "client" }.Concat(args).ToArray());
        Assert.True(p.WaitForExit(Timeout * 2));
        Assert.Equal(64, p.ExitCode);
        Assert.Contains("usage:", p.StdErr);
    }
}
