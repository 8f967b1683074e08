using System.Text.RegularExpressions;
using LegacyLonc.Posix;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Testbed;

/// <summary><c>lonc-testbed soak</c> (what scripts/soak runs), for a few seconds against the lonc under test.</summary>
public class SoakTests
{
    [Fact]
    public void A_short_soak_prints_its_summary_passes_and_leaves_nothing_behind()
    {
        var tmp = Directory.CreateTempSubdirectory("ll-soak-");
        try
        {
            // Hosts on 127.0.231.x: away from TestSandbox's 127.0.20-219 and scripts/soak's 230. No HUP: a HUP
            // re-executes the daemons and restarts every child, which this 6-second run cannot spare; scripts/soak
            // sends HUP as well (docs/benchmarks.md, "Soak").
            using var soak = LoncProcess.Start("/usr/bin/env", $"TMPDIR={tmp.FullName}", TestBinaries.Testbed, "soak",
                "--lonc", TestBinaries.Lonc, "--seconds", "6", "--port", TestbedNet.FreePort().ToString(), "--block", "231",
                "--signals", "usr1,usr2");
            Assert.True(soak.WaitForExit(TimeSpan.FromSeconds(180)), $"the soak did not end\n{soak.StdOut}\n{soak.StdErr}");
            var output = soak.StdOut;
            Assert.True(soak.ExitCode == 0, $"exit {soak.ExitCode}\n{output}\n{soak.StdErr}");

            Assert.True(Regex.IsMatch(output, @"(?m)^requests [1-9]\d*: matched [1-9]\d*, con_lost \d+, no reply \d+, misrouted 0 \(0 with another request's token\)$"), output);
            Assert.True(Regex.IsMatch(output, @"(?m)^replies matched to their request: (\d+) of \1 replies"), output);
            Assert.True(Regex.IsMatch(output, @"(?m)^RSS of all lonc processes: \d+ KiB at start, \d+ KiB at end"), output);
            Assert.Contains("descriptors: constant", output);
            Assert.Contains("crashes: 0", output);
            Assert.True(Regex.IsMatch(output, @"(?m)^PASS \(RSS growth"), output);
            // Every lonc process measured: two parents and ten host children, at start and at end.
            var rows = Regex.Matches(output, @"(?m)^(depth[18] parent|h\d+ child) +(\d+) +\d+ +\d+ +(\d+) +\d+ +\d+$");
            Assert.Equal(12, rows.Count);

            // Stopped what it started and removed its work directory.
            foreach (Match row in rows)
                Eventually.Assert(() => !Signals.ProcessExists(int.Parse(row.Groups[3].Value)), TimeSpan.FromSeconds(10), $"{row.Groups[1].Value} gone");
            Assert.Empty(tmp.GetFileSystemInfos());
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_soak_driver_explains_itself_and_refuses_a_run_without_a_length()
    {
        var script = Path.Combine(Repository.Root, "scripts", "soak");
        using var help = LoncProcess.Start("/bin/bash", script, "--help");
        Assert.True(help.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("scripts/soak --minutes N", help.StdOut);
        Assert.Contains("RSS growth <= 5 %, descriptors constant, 0 misrouted, 0 crashes", help.StdOut);

        using var bare = LoncProcess.Start("/bin/bash", script);
        Assert.True(bare.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(64, bare.ExitCode);
        Assert.Contains("give --minutes N", bare.StdErr);
    }
}
