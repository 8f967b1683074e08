using System.Text.RegularExpressions;

using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Logging;

/// <summary>A throw-away <c>lonDaemons</c> with its <c>logs/</c> directory, removed on dispose.</summary>
public sealed class TempDaemons : IDisposable
{
    public TempDaemons(bool withLogDir = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "ll-log-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        if (withLogDir)
            Directory.CreateDirectory(LogDir);
    }

    public string Root { get; }
    public string LogDir => Path.Combine(Root, "logs");
    public string LoncLog => Path.Combine(LogDir, "lonc.log");
    public string PermLog => Path.Combine(LogDir, "lonnet.perm.log");

    /// <summary>The lines of a log file without their <c>\n</c>; the file must end in one.</summary>
    public static string[] Lines(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.True(text.Length == 0 || text.EndsWith('\n'), $"{path} does not end with a newline");
        return text.Length == 0 ? Array.Empty<string>() : text[..^1].Split('\n');
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (Exception) { }
    }
}

/// <summary>The legacy line shapes, and the repository files the logging tests read.</summary>
public static class LegacyLines
{
    /// <summary><c>&lt;localtime&gt; (&lt;pid&gt;) [&lt;conserver&gt;] [&lt;status&gt;]: &lt;message&gt;</c>.</summary>
    public static readonly Regex LoncLine = new(
        @"^(?<time>(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123]\d \d\d:\d\d:\d\d \d{4}) " +
        @"\((?<pid>\d+)\) \[(?<conserver>[^\]]*)\] \[(?<status>[^\]]*)\]: (?<message>.*)$");

    /// <summary><c>&lt;epoch&gt;:&lt;message&gt;:&lt;localtime&gt;</c>.</summary>
    public static readonly Regex PermLine = new(
        @"^(?<epoch>\d+):(?<message>.*):(?<time>(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123]\d \d\d:\d\d:\d\d \d{4})$");

    /// <summary><c>etc/lonc.log4net.config</c> of this checkout.</summary>
    public static string ShippedLog4NetConfig
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LegacyLonc.sln")))
                    return Path.Combine(dir.FullName, "etc", "lonc.log4net.config");
            }
            throw new FileNotFoundException("LegacyLonc.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The shipped file with <paramref name="from"/> replaced by <paramref name="to"/> (which must occur).</summary>
    public static string ShippedWith(string from, string to)
    {
        var xml = File.ReadAllText(ShippedLog4NetConfig);
        Assert.Contains(from, xml);
        return xml.Replace(from, to);
    }
}

/// <summary>Perl itself as the oracle for Perl's <c>scalar localtime</c>; tests using it are <c>[PerlFact]</c>/<c>[PerlTheory]</c>.</summary>
public static class PerlOracle
{
    /// <summary>Perl's own <c>scalar localtime</c> for each epoch, optionally under <c>TZ=<paramref name="tz"/></c>.</summary>
    public static string[] PerlLocaltime(IEnumerable<long> epochs, string? tz = null)
    {
        var args = new List<string> { "-e", "print scalar(localtime($_)), \"\\n\" for @ARGV" };
        args.AddRange(epochs.Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var env = tz is null ? null : new Dictionary<string, string> { ["TZ"] = tz };
        var (exit, output, err) = ExternalProgram.Run("perl", args, env, timeoutSeconds: 20);
        Assert.True(exit == 0, "perl failed: " + err);
        return output.TrimEnd('\n').Split('\n');
    }
}
