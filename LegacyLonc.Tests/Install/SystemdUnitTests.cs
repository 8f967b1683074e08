using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Install;

/// <summary>etc/lonc.service: what it must say, and that systemd itself accepts it without a warning.</summary>
public class SystemdUnitTests
{
    private static readonly string UnitPath = Repository.PathOf("etc/lonc.service");
    private const string InstalledLonc = "/home/httpd/perl/lonc";

    /// <summary>
    /// The <c>Key=value</c> lines of the unit (comments and section headers left out); a key given on several
    /// lines (<c>SystemCallFilter=</c>: an allow list, then a deny list) maps to its values joined by <c>\n</c>.
    /// </summary>
    private static Dictionary<string, string> Settings() =>
        File.ReadAllLines(UnitPath)
            .Where(l => Regex.IsMatch(l, @"^[A-Za-z]+="))
            .Select(l => l.Split('=', 2))
            .GroupBy(kv => kv[0], kv => kv[1])
            .ToDictionary(g => g.Key, g => string.Join('\n', g));

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

    [Fact]
    public void A_configuration_refusal_is_not_restarted_and_the_unit_points_at_lonc_documentation()
    {
        var unit = Settings();

        // 78 (EX_CONFIG) is lonc's "fix the configuration first"; restarting every 5 s would only flood the log.
        Assert.Equal("78", unit["RestartPreventExitStatus"]);
        // The project's own man page (docs/lonc.8, installed by scripts/install), not 1.53's POD on a cvsweb server.
        Assert.Equal("man:lonc(8)", unit["Documentation"]);
        Assert.StartsWith(".TH LONC 8 ", File.ReadLines(Repository.PathOf("docs/lonc.8")).First(l => l.StartsWith(".TH", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_unit_confines_lonc_to_its_three_directories_its_sockets_and_no_privileges()
    {
        var unit = Settings();

        Assert.Equal("strict", unit["ProtectSystem"]);
        // <lonDaemons>/logs, lonSockDir, <lonDocRoot>/lon-status at LON-CAPA's defaults; nothing else is writable.
        Assert.Equal("/home/httpd/perl/logs /home/httpd/sockets /home/httpd/html/lon-status", unit["ReadWritePaths"]);
        Assert.Equal("yes", unit["PrivateTmp"]);
        Assert.Equal("AF_UNIX AF_INET AF_INET6", unit["RestrictAddressFamilies"]);
        Assert.Equal("yes", unit["NoNewPrivileges"]);
        Assert.Equal("", unit["CapabilityBoundingSet"]);
        Assert.True(int.Parse(unit["LimitNOFILE"]) >= 1024);
        // What lonc needs is allowed: spawning its children, re-executing itself, prctl, flock, sockets.
        Assert.Equal("@system-service\n~@privileged @resources", unit["SystemCallFilter"]);
    }

    [FactWhenInstalled("systemd-analyze", "install Debian's systemd package (scripts/test does so when run as root with apt)")]
    public void Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        var (exit, output, errors) = Analyze("verify", "--man=no");

        Assert.True(exit == 0, output + errors);
        Assert.Equal("", errors.Trim());
    }

    [FactWhenInstalled("systemd-analyze", "install Debian's systemd package (scripts/test does so when run as root with apt)")]
    public void Systemd_analyze_security_rates_the_unit_5_or_below()
    {
        var (exit, output, errors) = Analyze("security", "--offline=true", "--no-pager");

        Assert.True(exit == 0, output + errors);
        // Last line: "→ Overall exposure level for lonc.service: 1.4 OK 🙂" (9.0 UNSAFE before the confinement).
        var level = Regex.Match(output, @"Overall exposure level for lonc\.service: (\d+\.\d+)");
        Assert.True(level.Success, output + errors);
        Assert.True(double.Parse(level.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 5.0, output);
    }

    /// <summary>
    /// <c>systemd-analyze COMMAND ARGS... lonc.service</c> on a copy of the unit whose ExecStart names the lonc these
    /// tests run (verify checks that the program exists), nothing else changed.
    /// </summary>
    private static (int Exit, string Out, string Err) Analyze(params string[] commandAndOptions)
    {
        var dir = Directory.CreateTempSubdirectory("ll-unit-").FullName;
        try
        {
            var unit = Path.Combine(dir, "lonc.service");
            File.WriteAllText(unit, File.ReadAllText(UnitPath).Replace(InstalledLonc, TestBinaries.Lonc));
            return ExternalProgram.Run(FactWhenInstalledAttribute.Locate("systemd-analyze")!,
                commandAndOptions.Append(unit), timeoutSeconds: 60);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
