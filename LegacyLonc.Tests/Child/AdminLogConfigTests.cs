using System.Text.RegularExpressions;
using LegacyLonc.Tests.Logging;
using LegacyLonc.Tests.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// An administrator's <c>lonc.log4net.config</c> next to loncapa.conf governs lonc.log in the parent and every
/// child, through the real <c>lonc</c> binary (whatever TestBinaries.Lonc is: the JIT build or a native one).
/// </summary>
public class AdminLogConfigTests
{
    private const string AdminFile = "lonc.log4net.config";

    /// <summary>The shipped file, filtered to WARNING and CRITICAL lines (log4net levels WARN and above).</summary>
    private static string WarnOnly() => LegacyLines.ShippedWith("<log4net>", "<log4net threshold=\"WARN\">");

    private static readonly Regex WarningOrCritical = new(@"^<font color=(red>CRITICAL|blue>WARNING)\b");

    [Fact]
    public void A_threshold_WARN_in_the_conf_dir_is_followed_by_the_child()
    {
        using var h = new ChildHarness();
        File.WriteAllText(Path.Combine(h.Sandbox.ConfDir, AdminFile), WarnOnly());

        h.StartReady();
        h.Lond.Behaviour = LegacyLonc.Testbed.LondBehaviour.GarbageEnc;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:x"));
        Eventually.Assert(() => h.Sandbox.ReadLog().Contains("Garbage encrypted reply"), TimeSpan.FromSeconds(10),
            "the red CRITICAL line", h.Detail);

        var log = h.Sandbox.ReadLog();
        Assert.DoesNotContain("h1 online", log);
        Assert.DoesNotContain("Secure connection initialized", log);
        Assert.Matches(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \(\d+\) \[h1\] \[[^\]]*\]: <font color=red>CRITICAL: Garbage encrypted reply", log);
        Assert.Equal("", h.Child!.StdErr);
    }

    [Fact]
    public void A_threshold_WARN_keeps_only_WARNING_and_CRITICAL_lines_of_the_parent_and_every_child()
    {
        using var h = new ParentHarness(2, lond: false);
        h.StartLondFor("h1");  // h2: connection refused, a blue WARNING from its child
        File.WriteAllText(Path.Combine(h.Sandbox.ConfDir, AdminFile), WarnOnly());

        h.Start();
        h.WaitServing(new[] { "h1" });
        var h1 = h.ChildFor("h1");
        UnixClient.Request(h.Sandbox.SocketPath("h1"), "close_connection_exit", 5000);  // a red CRITICAL from h1's child
        h.WaitLog("CRITICAL: Request Close Connection ... exiting");
        h.WaitLog("WARNING: Couldn't connect to h2");
        h.Signal(Signum.SIGTERM);
        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), h.Detail());

        var lines = TempDaemons.Lines(h.Sandbox.Builder.LoncLog).Select(l => LegacyLines.LoncLine.Match(l)).ToList();
        Assert.All(lines, m => Assert.True(m.Success && WarningOrCritical.IsMatch(m.Groups["message"].Value), m.Value));
        var writers = lines.Select(m => (Pid: int.Parse(m.Groups["pid"].Value), Conserver: m.Groups["conserver"].Value)).Distinct().ToList();
        Assert.Contains((h.Pid, "PARENT"), writers);
        Assert.Contains((h1!.Value, "h1"), writers);
        Assert.Contains(writers, w => w.Conserver == "h2" && w.Pid != h.Pid);
        Assert.Contains(lines, m => m.Groups["message"].Value == "<font color=red>CRITICAL: Shutting down</font>");
        Assert.DoesNotContain("lonc:", h.Parent.StdErr);
    }

    [Fact]
    public void A_broken_file_is_reported_once_by_the_parent_on_stderr_and_in_lonc_log_and_every_line_is_kept()
    {
        using var h = new ParentHarness(2);
        var path = Path.Combine(h.Sandbox.ConfDir, AdminFile);
        File.WriteAllText(path, LegacyLines.ShippedWith("%message%newline", "%message%nosuch"));
        var problem = $"{path}: appender \"lonclog\": unknown pattern word \"%nosuch\" (log4net would read it as %n followed by \"osuch\"); using the built-in lonc.log configuration";

        h.StartServing();

        // Both children are up (each would have reported by now): the parent's one line is all there is.
        Assert.Equal($"lonc: {problem}\n", h.Parent!.StdErr);
        var log = TempDaemons.Lines(h.Sandbox.Builder.LoncLog);
        Assert.Single(log, l => l.EndsWith($"]: <font color=blue>WARNING: {problem}</font>"));
        Assert.All(log, l => Assert.Matches(LegacyLines.LoncLine, l));
        Assert.Contains(log, l => l.EndsWith("]: <font color=green>h1 online</font>"));
        Assert.Contains(log, l => l.EndsWith("]: <font color=green>h2 online</font>"));
    }

    [Fact]
    public void Check_config_warns_about_the_problems_of_the_file_as_start_up_does_not_refuse_it()
    {
        using var sandbox = new TestSandbox(1);
        var path = Path.Combine(sandbox.ConfDir, AdminFile);
        File.WriteAllText(path, WarnOnly());
        var (cleanExit, cleanOut, _) = ExternalProgram.Run(TestBinaries.Lonc, new[] { "--check-config", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName });
        Assert.True(cleanExit == 0, cleanOut);
        Assert.DoesNotContain(AdminFile + ":", cleanOut);

        File.WriteAllText(path, LegacyLines.ShippedWith("<level value=\"ALL\" />", "<level value=\"LOUD\" />"));
        var (exit, output, errors) = ExternalProgram.Run(TestBinaries.Lonc, new[] { "--check-config", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName });

        Assert.Equal(0, exit);
        Assert.Matches($@"\n  {Regex.Escape(path)}: <root>: unknown level ""LOUD"" [^\n]*; lonc would use the built-in lonc.log configuration\n", output);
        Assert.Contains("Problems: none", output);
        Assert.Equal("", errors);
        Assert.False(File.Exists(sandbox.Builder.LoncLog));
    }

    [Fact]
    public void An_appender_that_fails_later_is_reported_once_in_one_line_and_lonc_log_keeps_every_line()
    {
        using var daemons = new TempDaemons();
        // log4net's TextWriterAppender without a writer accepts its configuration and fails on every line.
        var xml = LegacyLines.ShippedWith("<root>",
                "<appender name=\"tw\" type=\"log4net.Appender.TextWriterAppender\"><layout type=\"log4net.Layout.PatternLayout\" /></appender><root>")
            .Replace("<appender-ref ref=\"lonclog\" />", "<appender-ref ref=\"tw\" /><appender-ref ref=\"lonclog\" />");
        var path = Path.Combine(daemons.Root, AdminFile);
        File.WriteAllText(path, xml);

        var (exit, _, errors) = ExternalProgram.Run(TestBinaries.Testbed,
            new[] { "log-writer", "--daemons", daemons.Root, "--host", "h1", "--lines", "3", "--log-config", path });

        Assert.True(exit == 0, errors);
        Assert.Equal("lonc: log4net: [TextWriterAppender] ErrorCode: GenericFailure. No output stream or file set for the appender named [tw]\n", errors);
        Assert.Equal(3, TempDaemons.Lines(daemons.LoncLog).Length);
    }

    [Fact]
    public void A_malformed_lonc_dll_config_is_not_read()
    {
        // log4net reads its switches from <exe>.dll.config through System.Configuration when that is there, and
        // prints a stack trace for a malformed one in every process. A copy of lonc, so the shared one stays clean.
        using var sandbox = new TestSandbox(1);
        var copy = Path.Combine(sandbox.Builder.Root, "bin");
        var lonc = CopyOfLonc(copy);
        File.WriteAllText(Path.Combine(copy, "lonc.dll.config"), "<configuration><appSettings>");
        File.WriteAllText(Path.Combine(sandbox.ConfDir, AdminFile), WarnOnly());

        var (exit, output, errors) = ExternalProgram.Run(lonc, new[] { "--check-config", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName });

        Assert.True(exit == 0, output + errors);
        Assert.Equal("", errors);
    }

    /// <summary>lonc, the assemblies its deps.json names and the native libraries beside it, copied to <paramref name="dir"/>; the path of the copy.</summary>
    private static string CopyOfLonc(string dir)
    {
        Directory.CreateDirectory(dir);
        var from = Path.GetDirectoryName(TestBinaries.Lonc)!;
        var files = new List<string> { "lonc", "lonc.dll", "lonc.deps.json", "lonc.runtimeconfig.json" };
        var deps = Path.Combine(from, "lonc.deps.json");
        if (File.Exists(deps))
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(deps));
            foreach (var target in json.RootElement.GetProperty("targets").EnumerateObject())
                foreach (var package in target.Value.EnumerateObject())
                    if (package.Value.TryGetProperty("runtime", out var runtime))
                        files.AddRange(runtime.EnumerateObject().Select(r => Path.GetFileName(r.Name)));
        }
        // Mono.Posix's native helper, which lonc loads from its own directory.
        files.AddRange(Directory.EnumerateFiles(from, "*.so").Select(Path.GetFileName).OfType<string>());
        foreach (var file in files.Distinct().Where(f => File.Exists(Path.Combine(from, f))))
            File.Copy(Path.Combine(from, file), Path.Combine(dir, file));
        return Path.Combine(dir, "lonc");
    }
}
