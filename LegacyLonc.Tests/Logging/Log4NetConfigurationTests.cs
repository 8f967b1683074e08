using LegacyLonc.Logging;

namespace LegacyLonc.Tests.Logging;

/// <summary>etc/lonc.log4net.config against the built-in configuration, level filtering, every kind of broken file.</summary>
public sealed class Log4NetConfigurationTests : IDisposable
{
    private const long Nov1 = 1793523903;
    private const string FallBack = "; using the built-in lonc.log configuration";
    private readonly TempDaemons _builtIn = new();
    private readonly TempDaemons _xml = new();
    private readonly StringWriter _errors = new();

    private static void WriteSample(LoncLog log)
    {
        log.Clock = () => Nov1;
        log.Log("Done starting initial servers");
        log.Status("Main loop h1");
        log.Log(LogColor.Red, "CRITICAL: Shutting down");
        log.Log(LogColor.Blue, "WARNING: Couldn't connect to h1 (200 secs): ");
        log.Log(LogColor.Green, "INFO Connected to h1, initing");
        log.Log(LogColor.Yellow, "INFO: Restarting child for server: h1");
        log.Conserver = "h1";
        log.Log("braces {0} {name} ${message} %s %n %% and ümlaut");
        log.Log("Received ok\n");
    }

    private string Write(string name, string xml)
    {
        var path = Path.Combine(_xml.Root, name);
        File.WriteAllText(path, xml);
        return path;
    }

    private string[] Messages(string path) =>
        TempDaemons.Lines(path).Select(l => LegacyLines.LoncLine.Match(l).Groups["message"].Value).ToArray();

    [Fact]
    public void ShippedXml_WritesTheSameBytesAsTheBuiltInConfiguration()
    {
        WriteSample(LoncLog.Open(_builtIn.Root, "PARENT", null, _errors));
        WriteSample(LoncLog.Open(_xml.Root, "PARENT", LegacyLines.ShippedLog4NetConfig, _errors));

        Assert.Empty(_errors.ToString());
        var expected = File.ReadAllBytes(_builtIn.LoncLog);
        Assert.Equal(expected, File.ReadAllBytes(_xml.LoncLog));

        var local = PerlTime.Localtime(Nov1);
        var pid = Environment.ProcessId;
        var lines = TempDaemons.Lines(_xml.LoncLog);
        Assert.Equal(7, lines.Length);
        Assert.Equal($"{local} ({pid}) [PARENT] []: Done starting initial servers", lines[0]);
        Assert.Equal($"{local} ({pid}) [PARENT] [{local}: Main loop h1]: <font color=red>CRITICAL: Shutting down</font>", lines[1]);
        Assert.Equal($"{local} ({pid}) [h1] [{local}: Main loop h1]: braces {{0}} {{name}} ${{message}} %s %n %% and ümlaut", lines[5]);
        Assert.Equal($"{local} ({pid}) [h1] [{local}: Main loop h1]: Received ok\\x0a", lines[6]);
    }

    [Fact]
    public void ShippedXml_HasNoProblems()
    {
        Assert.Empty(LoncLogConfiguration.Check(LegacyLines.ShippedLog4NetConfig));
    }

    [Theory]
    [InlineData("<log4net>", "<log4net threshold=\"WARN\">")]
    [InlineData("<level value=\"ALL\" />", "<level value=\"WARN\" />")]
    [InlineData("<file value=\"logs/lonc.log\" />", "<file value=\"logs/lonc.log\" /><threshold value=\"WARN\" />")]
    public void XmlLevels_FollowTheColours(string from, string to)
    {
        // An administrator keeping only what 1.53 showed in red and blue: repository, logger or appender threshold.
        var path = Write("warn.config", LegacyLines.ShippedWith(from, to));
        WriteSample(LoncLog.Open(_xml.Root, "PARENT", path, _errors));

        Assert.Empty(_errors.ToString());
        Assert.Equal(new[]
        {
            "<font color=red>CRITICAL: Shutting down</font>",
            "<font color=blue>WARNING: Couldn't connect to h1 (200 secs): </font>",
        }, Messages(_xml.LoncLog));
    }

    [Fact]
    public void AnAdministratorsSecondAppender_GetsItsOwnLines_AndLoncLogKeepsAll()
    {
        var warnings = """
              <appender name="warnings" type="LegacyLonc.Logging.LoncAppender, lonc">
                <file value="logs/lonc-warnings.log" />
                <filter type="log4net.Filter.LevelRangeFilter">
                  <levelMin value="WARN" />
                  <levelMax value="WARN" />
                </filter>
                <layout type="LegacyLonc.Logging.LoncLayout, lonc">
                  <conversionPattern value="%-5level %conserver %message" />
                </layout>
              </appender>
            """;
        var xml = LegacyLines.ShippedWith("<root>", warnings + "<root>")
            .Replace("<appender-ref ref=\"lonclog\" />", "<appender-ref ref=\"lonclog\" /><appender-ref ref=\"warnings\" />");
        WriteSample(LoncLog.Open(_xml.Root, "PARENT", Write("two.config", xml), _errors));

        Assert.Empty(_errors.ToString());
        Assert.Equal(7, TempDaemons.Lines(_xml.LoncLog).Length);
        // A pattern without %newline still writes whole lines.
        Assert.Equal(new[] { "WARN  PARENT <font color=blue>WARNING: Couldn't connect to h1 (200 secs): </font>" },
            TempDaemons.Lines(Path.Combine(_xml.LogDir, "lonc-warnings.log")));
    }

    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        { "malformed XML", "<log4net><appender name=\"x\">", "not well-formed XML: the parser gave up at line 1, position " },
        { "not log4net", "<nlog><targets /></nlog>", "the root element is <nlog>, not <log4net>" },
        { "unknown appender type", Shipped("LegacyLonc.Logging.LoncAppender, lonc", "NoSuch.Appender, lonc"),
            "Could not create Appender [lonclog] of type [NoSuch.Appender, lonc]: no such type NoSuch.Appender" },
        { "unknown layout type", Shipped("LegacyLonc.Logging.LoncLayout, lonc", "No.Such.Layout, lonc"), "Failed to find type [No.Such.Layout, lonc]" },
        { "control characters from the file", Shipped("%message%newline", "%message%nosuch").Replace("lonclog", "lonc&#10;log"),
            "appender \"lonc\\x0alog\": unknown pattern word \"%nosuch\"" },
        { "bad property", Shipped("<file value=\"logs/lonc.log\" />", "<file value=\"logs/lonc.log\" /><colour value=\"red\" />"),
            "Cannot find Property [colour]" },
        { "unknown pattern word", Shipped("%message%newline", "%message%nosuch"),
            "appender \"lonclog\": unknown pattern word \"%nosuch\" (log4net would read it as %n followed by \"osuch\")" },
        { "word without its letters", Shipped("%message%newline", "%message%newline%-5"),
            "appender \"lonclog\": \"%-5\" is not followed by a pattern word" },
        { "bad appender-ref", Shipped("<appender-ref ref=\"lonclog\" />", "<appender-ref ref=\"lonc-log\" />"),
            "No appender named [lonc-log] could be found" },
        { "unknown level", Shipped("<level value=\"ALL\" />", "<level value=\"WARNING\" />"), "<root>: unknown level \"WARNING\"" },
        { "unknown logger level", Shipped("<root>", "<logger name=\"lonc\"><level value=\"LOUD\" /></logger><root>"), "Undefined level [LOUD] on Logger [lonc]" },
        { "unknown threshold", Shipped("<log4net>", "<log4net threshold=\"WARNING\">"), "Unable to set hierarchy threshold using value [WARNING]" },
        { "no appender for lonc", Shipped("<appender-ref ref=\"lonclog\" />", ""), "no appender receives logger \"lonc\"" },
        { "appender without layout", Shipped("<layout type=\"LegacyLonc.Logging.LoncLayout, lonc\">", "<layouts>").Replace("</layout>", "</layouts>"),
            "appender [lonclog] has no layout" },
    };

    private static string Shipped(string from, string to) => LegacyLines.ShippedWith(from, to);

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFile_IsReportedInOneLine_AndTheBuiltInConfigurationWritesEveryLine(string kind, string xml, string problem)
    {
        var path = Write(kind.Replace(' ', '-') + ".config", xml);
        WriteSample(LoncLog.Open(_xml.Root, "PARENT", path, _errors));

        var report = _errors.ToString();
        Assert.StartsWith($"lonc: {path}: ", report);
        Assert.Contains(problem, report);
        Assert.EndsWith(FallBack + "\n", report);
        Assert.Single(report.TrimEnd('\n').Split('\n'));

        WriteSample(LoncLog.Open(_builtIn.Root, "PARENT", null, new StringWriter()));
        Assert.Equal(File.ReadAllBytes(_builtIn.LoncLog), File.ReadAllBytes(_xml.LoncLog));
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Check_ListsTheProblemsOfABrokenFile(string kind, string xml, string problem)
    {
        var path = Write(kind.Replace(' ', '-') + ".config", xml);

        var problems = LoncLogConfiguration.Check(path);

        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
        Assert.False(File.Exists(_xml.LoncLog));
    }

    [Fact]
    public void MissingFile_IsReported_AndTheBuiltInConfigurationWrites()
    {
        var path = Path.Combine(_xml.Root, "absent.config");
        LoncLog.Open(_xml.Root, "PARENT", path, _errors).Log("still logging");

        Assert.StartsWith($"lonc: {path}: cannot be read: ", _errors.ToString());
        Assert.EndsWith(FallBack + "\n", _errors.ToString());
        Assert.EndsWith("[PARENT] []: still logging", Assert.Single(TempDaemons.Lines(_xml.LoncLog)));
    }

    [Fact]
    public void SeveralProblems_AreAllNamed_InTheOneLine()
    {
        var xml = Shipped("%message%newline", "%message%nosuch").Replace("<level value=\"ALL\" />", "<level value=\"LOUD\" />");
        var path = Write("two-problems.config", xml);
        LoncLog.Open(_xml.Root, "PARENT", path, _errors).Log("x");

        var report = Assert.Single(_errors.ToString().TrimEnd('\n').Split('\n'));
        Assert.Contains("unknown pattern word \"%nosuch\"", report);
        Assert.Contains("<root>: unknown level \"LOUD\"", report);
        Assert.DoesNotContain("null level", report);
        Assert.Equal(2, LoncLogConfiguration.Check(path).Count);
    }

    public void Dispose()
    {
        _builtIn.Dispose();
        _xml.Dispose();
    }
}
