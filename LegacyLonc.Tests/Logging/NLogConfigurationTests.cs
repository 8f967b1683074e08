using LegacyLonc.Logging;

namespace LegacyLonc.Tests.Logging;

/// <summary>etc/lonc.nlog.config against the built-in configuration, level filtering, bad XML.</summary>
public sealed class NLogConfigurationTests : IDisposable
{
    private const long Nov1 = 1793523903;
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
        log.Log("braces {0} {name} ${message} and ümlaut");
        log.Log("Received ok\n");
    }

    [Fact]
    public void ShippedXml_WritesTheSameBytesAsTheBuiltInConfiguration()
    {
        WriteSample(LoncLog.Open(_builtIn.Root, "PARENT", null, _errors));
        WriteSample(LoncLog.Open(_xml.Root, "PARENT", LegacyLines.ShippedNLogConfig, _errors));

        Assert.Empty(_errors.ToString());
        var expected = File.ReadAllBytes(_builtIn.LoncLog);
        Assert.Equal(expected, File.ReadAllBytes(_xml.LoncLog));

        var local = PerlTime.Localtime(Nov1);
        var pid = Environment.ProcessId;
        var lines = TempDaemons.Lines(_xml.LoncLog);
        Assert.Equal(7, lines.Length);
        Assert.Equal($"{local} ({pid}) [PARENT] [{local}: Main loop h1]: <font color=red>CRITICAL: Shutting down</font>", lines[1]);
        Assert.Equal($"{local} ({pid}) [h1] [{local}: Main loop h1]: braces {{0}} {{name}} ${{message}} and ümlaut", lines[5]);
    }

    [Fact]
    public void XmlLevels_FollowTheColours()
    {
        // An administrator keeping only what 1.53 showed in red and blue.
        var path = Path.Combine(_xml.Root, "warn.nlog.config");
        File.WriteAllText(path, File.ReadAllText(LegacyLines.ShippedNLogConfig).Replace("minlevel=\"Trace\"", "minlevel=\"Warn\""));
        WriteSample(LoncLog.Open(_xml.Root, "PARENT", path, _errors));

        var messages = TempDaemons.Lines(_xml.LoncLog).Select(l => LegacyLines.LoncLine.Match(l).Groups["message"].Value);
        Assert.Equal(new[]
        {
            "<font color=red>CRITICAL: Shutting down</font>",
            "<font color=blue>WARNING: Couldn't connect to h1 (200 secs): </font>",
        }, messages);
    }

    [Theory]
    [InlineData("<nlog><targets><target xsi:type=\"no-such-type\" name=\"x\" /></targets></nlog>")]
    [InlineData("<nlog><targets>")]
    [InlineData(null)]
    public void BadOrMissingXml_IsReported_AndTheBuiltInConfigurationWrites(string? xml)
    {
        var path = Path.Combine(_xml.Root, "broken.nlog.config");
        if (xml != null)
            File.WriteAllText(path, xml);
        var log = LoncLog.Open(_xml.Root, "PARENT", path, _errors);
        log.Log("still logging");

        Assert.StartsWith($"lonc: {path}: ", _errors.ToString());
        Assert.Contains("using the built-in lonc.log configuration", _errors.ToString());
        Assert.EndsWith("[PARENT] []: still logging", Assert.Single(TempDaemons.Lines(_xml.LoncLog)));
    }

    public void Dispose()
    {
        _builtIn.Dispose();
        _xml.Dispose();
    }
}
