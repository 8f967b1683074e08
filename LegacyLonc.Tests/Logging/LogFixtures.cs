using System.Diagnostics;
using System.Text.RegularExpressions;

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

    /// <summary><c>etc/lonc.nlog.config</c> of this checkout.</summary>
    public static string ShippedNLogConfig
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LegacyLonc.sln")))
                    return Path.Combine(dir.FullName, "etc", "lonc.nlog.config");
            }
            throw new FileNotFoundException("LegacyLonc.sln not found above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>Runs a program to completion (bounded), with extra environment variables.</summary>
public static class ExternalProgram
{
    public static (int Exit, string Out, string Err) Run(string exe, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        if (environment != null)
            foreach (var (k, v) in environment)
                psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{exe} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Perl's own <c>scalar localtime</c> for each epoch, optionally under <c>TZ=<paramref name="tz"/></c>.</summary>
    public static string[] PerlLocaltime(IEnumerable<long> epochs, string? tz = null)
    {
        var args = new List<string> { "-e", "print scalar(localtime($_)), \"\\n\" for @ARGV" };
        args.AddRange(epochs.Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var env = tz is null ? null : new Dictionary<string, string> { ["TZ"] = tz };
        var (exit, output, err) = Run("perl", args, env, timeoutSeconds: 20);
        Assert.True(exit == 0, "perl failed: " + err);
        return output.TrimEnd('\n').Split('\n');
    }
}
