using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Install;

/// <summary>etc/lonc.service: what it must say, and that systemd itself accepts it without a warning.</summary>
public class SystemdUnitTests
{
    private static readonly string UnitPath = Repository.PathOf("etc/lonc.service");
    private const string InstalledLonc = "/home/httpd/perl/lonc";

    /// <summary>The <c>Key=value</c> lines of the unit (comments and section headers left out).</summary>
    private static Dictionary<string, string> Settings() =>
        File.ReadAllLines(UnitPath)
            .Where(l => Regex.IsMatch(l, @"^[A-Za-z]+="))
            .Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public void The_unit_runs_the_parent_in_the_foreground_as_www_and_lets_it_stop_its_own_children()
    {
        var unit = Settings();

        Assert.Equal($"{InstalledLonc} --foreground --conf-dir /etc/httpd/conf --user www", unit["ExecStart"]);
        Assert.Equal("www", unit["User"]);
        Assert.Equal("/bin/kill -HUP $MAINPID", unit["ExecReload"]);
        Assert.Equal("SIGTERM", unit["KillSignal"]);
        // TERM to the parent only; it hangs up its children itself, SIGKILL for the rest after the timeout.
        Assert.Equal("mixed", unit["KillMode"]);
        Assert.Equal("on-failure", unit["Restart"]);
        // Longer than the parent's own stop: 3 s hang-up + 5 s before it kills stragglers.
        Assert.True(int.Parse(unit["TimeoutStopSec"]) > 8);
    }

    [FactWhenInstalled("systemd-analyze", "install Debian's systemd package (scripts/test does so when run as root with apt)")]
    public void Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        // verify checks that ExecStart's program exists: point it at the lonc these tests run, nothing else changed.
        var dir = Directory.CreateTempSubdirectory("ll-unit-").FullName;
        try
        {
            var unit = Path.Combine(dir, "lonc.service");
            File.WriteAllText(unit, File.ReadAllText(UnitPath).Replace(InstalledLonc, TestBinaries.Lonc));

            var (exit, output, errors) = ExternalProgram.Run(FactWhenInstalledAttribute.Locate("systemd-analyze")!,
                new[] { "verify", "--man=no", unit }, timeoutSeconds: 60);

            Assert.True(exit == 0, output + errors);
            Assert.Equal("", errors.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
