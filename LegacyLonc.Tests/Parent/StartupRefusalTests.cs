using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// Start-up failures are told in lonc's own words, on stderr and in lonc.log when it can be written; a
/// detached start reports the daemon's failure and exits 1 instead of 0.
/// </summary>
public class StartupRefusalTests
{
    /// <summary>A .NET resource key as UseSystemResourceKeys leaves it in exception messages (IO_PathNotFound_Path, Arg_…).</summary>
    private static readonly Regex ResourceKey = new(@"\b[A-Z][A-Za-z]*_[A-Z][A-Za-z]*\b");

    [Fact]
    public void A_pid_file_that_cannot_be_written_is_explained_without_resource_keys()
    {
        using var sandbox = new TestSandbox(1);
        Directory.Delete(sandbox.Builder.LogDir, recursive: true);

        using var p = sandbox.StartParent();

        Assert.True(p.WaitForExit(ParentHarness.Patience), "lonc exits");
        Assert.Equal(1, p.ExitCode);
        Assert.Contains($"lonc: cannot write {sandbox.Builder.PidFile}: no such directory", p.StdErr);
        Assert.DoesNotMatch(ResourceKey, p.StdErr);
    }

    [Fact]
    public void A_detached_start_whose_daemon_dies_exits_1_with_the_daemons_reason()
    {
        using var sandbox = new TestSandbox(1);
        Directory.Delete(sandbox.Builder.LogDir, recursive: true);
        var outFile = Path.Combine(sandbox.Builder.Root, "start.out");

        // Through a shell with the output in a file: the daemon copy keeps the original's stderr.
        using var original = sandbox.Own(LoncProcess.Start("/bin/sh", "-c",
            $"exec '{TestBinaries.Lonc}' --conf-dir '{sandbox.ConfDir}' --user '{Environment.UserName}' >'{outFile}' 2>&1"));

        Assert.True(original.WaitForExit(ParentHarness.Patience), "lonc exits");
        var output = File.ReadAllText(outFile);
        Assert.Equal(1, original.ExitCode);
        Assert.Contains($"lonc: cannot write {sandbox.Builder.PidFile}: no such directory", output);
        Assert.Matches($@"lonc: not started: the daemon \(pid \d+\) ended with exit status 1 before it wrote {Regex.Escape(sandbox.Builder.PidFile)}", output);
        Assert.DoesNotMatch(ResourceKey, output);
    }

    [Fact]
    public void A_configuration_error_reaches_lonc_log_as_well_as_stderr()
    {
        using var sandbox = new TestSandbox(1, new Dictionary<string, string> { ["loncRequestTimeout"] = "soon" });
        var conf = Path.Combine(sandbox.ConfDir, "loncapa.conf");
        var line = Array.FindIndex(File.ReadAllLines(conf), l => l.Contains("loncRequestTimeout")) + 1;
        var problem = $"{conf}:{line}: loncRequestTimeout \"soon\" is not a number (expected a whole number from 1 to 86400)";

        using var p = sandbox.StartParent();

        Assert.True(p.WaitForExit(ParentHarness.Patience), "lonc exits");
        Assert.Equal(1, p.ExitCode);
        Assert.Contains($"lonc: {problem}", p.StdErr);
        Assert.Contains($"<font color=red>CRITICAL: {problem}</font>", sandbox.ReadLog());
        Assert.False(File.Exists(sandbox.Builder.PidFile));
    }
}
