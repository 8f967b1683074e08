using System.Text.RegularExpressions;
using LegacyLonc.Logging;
using LegacyLonc.Tests.Crypto;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Logging;

/// <summary>
/// The real <c>lonc-testbed log-writer</c> processes sharing lonc.log and lonnet.perm.log, as the parent and
/// its children do, and loncron's rotation by rename while one of them writes.
/// </summary>
public sealed class SharedLogFileTests : IDisposable
{
    private static readonly Regex Numbered = new(@"^log-writer line (?<i>\d+) of (?<n>\d+)$");
    private readonly TempDaemons _daemons = new();

    [Fact]
    public void ManyProcesses_EveryLineArrivesWholeAndOnce()
    {
        const int processes = 8, lines = 2000;
        var writers = Enumerable.Range(1, processes)
            .Select(p => LoncProcess.Start(TestBinaries.Testbed, "log-writer", "--daemons", _daemons.Root,
                "--host", $"h{p}", "--lines", lines.ToString(), "--perm"))
            .ToList();
        try
        {
            foreach (var w in writers)
            {
                Assert.True(w.WaitForExit(TimeSpan.FromSeconds(60)), "log-writer did not finish");
                Assert.True(w.ExitCode == 0, w.StdErr);
            }

            var seen = new HashSet<(string Host, int Line)>();
            foreach (var line in TempDaemons.Lines(_daemons.LoncLog))
            {
                var m = LegacyLines.LoncLine.Match(line);
                Assert.True(m.Success, $"torn or malformed line: {line}");
                var host = m.Groups["conserver"].Value;
                Assert.Matches("^h[1-8]$", host);
                Assert.EndsWith($": log-writer {host}", m.Groups["status"].Value);
                var n = Numbered.Match(m.Groups["message"].Value);
                Assert.True(n.Success, $"unexpected message: {line}");
                Assert.True(seen.Add((host, int.Parse(n.Groups["i"].Value))), $"line written twice: {line}");
            }
            Assert.Equal(processes * lines, seen.Count);

            var perm = new HashSet<string>();
            foreach (var line in TempDaemons.Lines(_daemons.PermLog))
            {
                var m = LegacyLines.PermLine.Match(line);
                Assert.True(m.Success, $"torn or malformed perm line: {line}");
                Assert.True(perm.Add(m.Groups["message"].Value), $"perm line written twice: {line}");
            }
            Assert.Equal(processes * lines, perm.Count);
        }
        finally
        {
            writers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public void RenamedLog_NextLinesGoToANewFile_NothingLost()
    {
        const int lines = 400;
        using var writer = LoncProcess.Start(TestBinaries.Testbed, "log-writer", "--daemons", _daemons.Root,
            "--host", "h1", "--lines", lines.ToString(), "--interval-ms", "2");
        Eventually.Assert(() => LineCount(_daemons.LoncLog) >= 20, TimeSpan.FromSeconds(30), "the writer's first 20 lines");

        // loncron: rename lonc.log -> lonc.log.1 while lonc keeps logging.
        var rotated = _daemons.LoncLog + ".1";
        File.Move(_daemons.LoncLog, rotated);
        Assert.True(writer.WaitForExit(TimeSpan.FromSeconds(60)), "log-writer did not finish");
        Assert.True(writer.ExitCode == 0, writer.StdErr);

        var before = Numbers(rotated);
        var after = Numbers(_daemons.LoncLog);
        Assert.NotEmpty(after);
        Assert.Equal(Enumerable.Range(1, before.Count), before);
        Assert.Equal(Enumerable.Range(before.Count + 1, lines - before.Count), after);
    }

    [PerlFact]
    public void WriterProcess_StampsLikePerlUnderItsTZ()
    {
        var env = new Dictionary<string, string> { ["TZ"] = "Asia/Kolkata" };
        var (exit, _, err) = ExternalProgram.Run(TestBinaries.Testbed,
            new[] { "log-writer", "--daemons", _daemons.Root, "--host", "h1", "--lines", "1", "--perm" }, env);
        Assert.True(exit == 0, err);

        var m = LegacyLines.PermLine.Match(Assert.Single(TempDaemons.Lines(_daemons.PermLog)));
        Assert.True(m.Success);
        var epoch = long.Parse(m.Groups["epoch"].Value);
        Assert.Equal(PerlOracle.PerlLocaltime(new[] { epoch }, "Asia/Kolkata"), new[] { m.Groups["time"].Value });
        // Kolkata is 5:30 ahead of UTC all year, so the stamp cannot be a UTC one.
        Assert.NotEqual(PerlTime.Localtime(epoch, TimeZoneInfo.Utc), m.Groups["time"].Value);
    }

    private static int LineCount(string path)
    {
        try
        {
            return File.ReadAllText(path).Count(c => c == '\n');
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static List<int> Numbers(string path) => TempDaemons.Lines(path)
        .Select(l => Numbered.Match(LegacyLines.LoncLine.Match(l).Groups["message"].Value).Groups["i"].Value)
        .Select(int.Parse)
        .ToList();

    public void Dispose() => _daemons.Dispose();
}
