using LegacyLonc.Logging;

namespace LegacyLonc.Tests.Logging;

/// <summary>logthis / logperm / status: line shapes, markers, status and title, failures that must not throw.</summary>
public sealed class LoncLogTests : IDisposable
{
    private const long Nov1 = 1793523903;
    private readonly TempDaemons _daemons = new();
    private readonly StringWriter _errors = new();

    private LoncLog Open(string conserver = "PARENT", string? daemons = null)
    {
        var log = LoncLog.Open(daemons ?? _daemons.Root, conserver, null, _errors);
        log.Clock = () => Nov1;
        return log;
    }

    private static string Local(long epoch) => PerlTime.Localtime(epoch);

    [Fact]
    public void Log_WritesTheLegacyLine_WithEmptyStatusBeforeTheFirstStatusCall()
    {
        var log = Open();
        log.Log("Done starting initial servers");

        var line = Assert.Single(TempDaemons.Lines(_daemons.LoncLog));
        Assert.Equal($"{Local(Nov1)} ({Environment.ProcessId}) [PARENT] []: Done starting initial servers", line);
        Assert.Matches(LegacyLines.LoncLine, line);
        Assert.Equal($"{Local(Nov1)}: Done starting initial servers", log.LastLog);
    }

    [Fact]
    public void Log_WithTheRealClock_StampsLineAndLastLogAlike()
    {
        var log = LoncLog.Open(_daemons.Root, "msul1", null, _errors);
        log.Log("hello");

        var match = LegacyLines.LoncLine.Match(Assert.Single(TempDaemons.Lines(_daemons.LoncLog)));
        Assert.True(match.Success);
        Assert.Equal("msul1", match.Groups["conserver"].Value);
        Assert.Equal(match.Groups["time"].Value + ": hello", log.LastLog);
        Assert.Equal(Environment.ProcessId.ToString(), match.Groups["pid"].Value);
    }

    [Theory]
    [InlineData(LogColor.Red, "CRITICAL: Shutting down", "<font color=red>CRITICAL: Shutting down</font>")]
    [InlineData(LogColor.Blue, "WARNING: Init failed (200 secs)", "<font color=blue>WARNING: Init failed (200 secs)</font>")]
    [InlineData(LogColor.Green, "INFO Connected to h1, initing", "<font color=green>INFO Connected to h1, initing</font>")]
    [InlineData(LogColor.Yellow, "INFO: Restarting child for server: h1", "<font color=yellow>INFO: Restarting child for server: h1</font>")]
    [InlineData(LogColor.None, "Init reply: >no<", "Init reply: >no<")]
    public void Log_WrapsColouredMessagesInFontMarkers(LogColor color, string message, string written)
    {
        var log = Open();
        log.Log(color, message);

        Assert.Equal($"{Local(Nov1)} ({Environment.ProcessId}) [PARENT] []: {written}", Assert.Single(TempDaemons.Lines(_daemons.LoncLog)));
        Assert.Equal($"{Local(Nov1)}: {written}", log.LastLog);
    }

    [Fact]
    public void Log_WritesMessagesVerbatim_NoTemplatesNoTrimming()
    {
        var log = Open();
        log.Log("braces {0} {name} ${message} %s");

        var text = File.ReadAllText(_daemons.LoncLog);
        var prefix = $"{Local(Nov1)} ({Environment.ProcessId}) [PARENT] []: ";
        Assert.Equal($"{prefix}braces {{0}} {{name}} ${{message}} %s\n", text);
    }

    [Fact]
    public void Log_EscapesControlCharacters_SoAPeerCannotForgeLinesOrDriveTerminals()
    {
        var log = Open();
        // 1.53 wrote such texts as they came: a trailing "\n" left an empty line, an ESC reached the admin's terminal.
        log.Log("Init reply: >ok\nFri Jan  1 00:00:00 2027 (1) [PARENT] []: forged\u001b[31m\0\u007f\u009b<");

        var line = Assert.Single(TempDaemons.Lines(_daemons.LoncLog));
        Assert.EndsWith(@"Init reply: >ok\x0aFri Jan  1 00:00:00 2027 (1) [PARENT] []: forged\x1b[31m\x00\x7f\x9b<", line);
        Assert.DoesNotContain(line, c => c < 0x20 || c is >= (char)0x7f and <= (char)0x9f);
        Assert.DoesNotContain('\u001b', log.LastLog);
    }

    [Fact]
    public void Status_EscapesControlCharactersOfRequestBytes()
    {
        var log = Open("h1");
        var titles = new List<string>();
        log.TitleSink = t => titles.Add(t.ToString());
        log.Status("Completed: ", "echo:\u001b]0;owned\u0007\0x"u8.ToArray());

        Assert.Equal($"{Local(Nov1)}: Completed: echo:\\x1b]0;owned\\x07\\x00x", log.CurrentStatus);
        Assert.Equal($"lonc: Completed: echo:\\x1b]0;owned\\x07\\x00x {Local(Nov1)}", Assert.Single(titles));
    }

    [Fact]
    public void Status_CutsAnEscapedDetailAtTheLimit()
    {
        var log = Open("h1");
        log.Status("x", Enumerable.Repeat((byte)1, 1000).ToArray());

        var what = log.CurrentStatus[(Local(Nov1).Length + 2)..];
        Assert.True(what.Length <= LoncLog.MaxStatusChars);
        Assert.StartsWith(@"x\x01\x01", what);
        Assert.Matches(@"^x(\\x01)+$", what);
    }

    [Fact]
    public void Status_SetsStatusAndTitle_AndLaterLinesCarryIt()
    {
        var log = Open("h1");
        var titles = new List<string>();
        log.TitleSink = t => titles.Add(t.ToString());

        log.Status("Main loop h1");
        log.Clock = () => Nov1 + 2;
        log.Log(LogColor.Green, "h1 online");

        Assert.Equal($"{Local(Nov1)}: Main loop h1", log.CurrentStatus);
        Assert.Equal(new[] { $"lonc: Main loop h1 {Local(Nov1)}" }, titles);
        Assert.Equal($"{Local(Nov1 + 2)} ({Environment.ProcessId}) [h1] [{Local(Nov1)}: Main loop h1]: <font color=green>h1 online</font>",
            Assert.Single(TempDaemons.Lines(_daemons.LoncLog)));
    }

    [Fact]
    public void Conserver_ChangeShowsInLaterLines()
    {
        var log = Open("SHELL");
        log.Log("before");
        log.Conserver = "PARENT";
        log.Log("after");

        var lines = TempDaemons.Lines(_daemons.LoncLog);
        Assert.Equal("SHELL", LegacyLines.LoncLine.Match(lines[0]).Groups["conserver"].Value);
        Assert.Equal("PARENT", LegacyLines.LoncLine.Match(lines[1]).Groups["conserver"].Value);
    }

    [Fact]
    public void Perm_WritesEpochMessageLocaltime()
    {
        var log = Open("h1");
        log.Perm("S:h1:put:msu:x");

        var line = Assert.Single(TempDaemons.Lines(_daemons.PermLog));
        Assert.Equal($"{Nov1}:S:h1:put:msu:x:{Local(Nov1)}", line);
        Assert.Matches(LegacyLines.PermLine, line);
        Assert.False(File.Exists(_daemons.LoncLog));
    }

    [Fact]
    public void MissingLogDirectory_NeverThrows_AndIsReportedOncePerFile()
    {
        var gone = Path.Combine(_daemons.Root, "no-such-dir");
        var log = Open(daemons: gone);
        log.Log("one");
        log.Log(LogColor.Red, "CRITICAL: two");
        log.Perm("D:h1:x");
        log.Perm("D:h1:y");
        log.Status("still alive");

        var reports = _errors.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, reports.Length);
        Assert.Contains(Path.Combine(gone, "logs", "lonc.log") + ": open: No such file or directory", reports[0]);
        Assert.Contains(Path.Combine(gone, "logs", "lonnet.perm.log"), reports[1]);
        Assert.Equal($"{Local(Nov1)}: <font color=red>CRITICAL: two</font>", log.LastLog);

        // Once the directory exists, lines land again.
        Directory.CreateDirectory(Path.Combine(gone, "logs"));
        log.Log("three");
        Assert.EndsWith("]: three", Assert.Single(TempDaemons.Lines(Path.Combine(gone, "logs", "lonc.log"))));
    }

    [Fact]
    public void FailingTitleSink_DoesNotStopStatus_AndIsReportedOnce()
    {
        var log = Open();
        // What a failing write to /proc/self/comm would raise; the runtime's own text for it is a resource key.
        log.TitleSink = _ => throw new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path");
        log.Status("one");
        log.Status("two");

        Assert.Equal($"{Local(Nov1)}: two", log.CurrentStatus);
        Assert.Equal("lonc: cannot set the process title: permission denied\n", _errors.ToString());
    }

    [Fact]
    public void ConcurrentCallers_EachLineWholeAndOnce()
    {
        var log = LoncLog.Open(_daemons.Root, "h1", null, _errors);
        var writers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                log.Log($"thread {t} line {i}");
                if (i % 50 == 0)
                    log.Status($"thread {t} at {i}");
            }
        })).ToList();
        writers.ForEach(w => w.Start());
        Assert.All(writers, w => Assert.True(w.Join(TimeSpan.FromSeconds(30))));

        var lines = TempDaemons.Lines(_daemons.LoncLog);
        Assert.All(lines, l => Assert.Matches(LegacyLines.LoncLine, l));
        var messages = lines.Select(l => LegacyLines.LoncLine.Match(l).Groups["message"].Value).ToList();
        Assert.Equal(1000, messages.Distinct().Count());
        Assert.Equal(1000, messages.Count);
        Assert.Empty(_errors.ToString());
    }

    [Fact]
    public void NewFile_IsCreatedWithoutGroupOrWorldWrite()
    {
        Open().Log("x");
        var mode = File.GetUnixFileMode(_daemons.LoncLog);
        Assert.True(mode.HasFlag(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.False(mode.HasFlag(UnixFileMode.GroupWrite) || mode.HasFlag(UnixFileMode.OtherWrite) || mode.HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void LongLine_IsWrittenWhole()
    {
        var big = new string('x', 200_000);
        Open().Log(big);
        Assert.EndsWith("]: " + big, Assert.Single(TempDaemons.Lines(_daemons.LoncLog)));
    }

    public void Dispose() => _daemons.Dispose();
}
