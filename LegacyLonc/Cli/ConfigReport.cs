using LegacyLonc.Configuration;

namespace LegacyLonc.Cli;

/// <summary><c>lonc --check-config</c>: prints effective settings and hosts, reports every problem; exit 0/1.</summary>
/// <remarks>
/// Reads exactly what the daemon reads and applies the same rules, but collects every problem instead
/// of stopping: a broken setting does not hide a bad hosts.tab line. Then checks what start-up needs from
/// the machine for the <c>--user</c> account (<see cref="StartupReadiness"/>, the check start-up refuses on).
/// Warnings do not change the exit code.
/// </remarks>
public static class ConfigReport
{
    public static int Run(LoncOptions options, TextWriter output, TextWriter errors)
    {
        var inspection = SettingsLoader.Inspect(options.ConfDir);
        var problems = inspection.Problems.ToList();
        var warnings = new List<string>();
        var ownId = inspection.Value("lonHostID");

        output.WriteLine($"lonc configuration check, configuration directory {inspection.ConfDir}");
        output.WriteLine();
        output.WriteLine("Files (read in this order, the later definition wins):");
        foreach (var file in inspection.Files)
            output.WriteLine($"  {file}");
        output.WriteLine();
        WriteSettings(inspection, output);
        output.WriteLine();

        var hostsPath = inspection.Value("lonTabDir") is { } tabDir ? Path.Combine(tabDir, HostTable.FileName) : null;
        var hosts = hostsPath is null ? null : LoadHosts(hostsPath, inspection.Settings, problems);
        if (hosts is not null)
        {
            WriteHosts(hosts, hostsPath!, ownId, output);
            if (ownId is not null && hosts.Find(ownId) is null)
                warnings.Add($"lonHostID {ownId} is not in hosts.tab: no socket for this server, lonnet cannot reach its own lond through lonc");
            problems.AddRange(hosts.Problems);
            output.WriteLine();
        }

        // What start-up needs beyond the files' syntax; each check adds its own problems.
        var readiness = StartupReadiness.Check(inspection, options.User, hosts);
        WriteReadiness(readiness, options.User, output);
        problems.AddRange(readiness.Problems);
        output.WriteLine();

        if (readiness.Account is { Uid: 0 })
            warnings.Add($"--user {options.User}: lonc would run as root; every file it writes and every socket it offers would be root's (meant for sandboxes, not servers)");

        // An administrator's lonc.log4net.config: every problem for which the daemon would not follow it. A warning:
        // lonc starts all the same, with the built-in configuration, and says so once in lonc.log.
        if (Logging.LoncLogConfiguration.AdminConfigPath(inspection.ConfDir) is { } logConfig)
            warnings.AddRange(Logging.LoncLogConfiguration.Check(logConfig).Select(p => $"{logConfig}: {p}; lonc would use the built-in lonc.log configuration"));

        if (warnings.Count > 0)
        {
            output.WriteLine("Warnings:");
            foreach (var w in warnings)
                output.WriteLine($"  {w}");
            output.WriteLine();
        }

        if (problems.Count == 0)
        {
            output.WriteLine("Problems: none. The configuration is OK.");
            return 0;
        }
        output.WriteLine($"Problems ({problems.Count}):");
        foreach (var p in problems)
            output.WriteLine($"  {p}");
        errors.WriteLine($"lonc: {Count(problems.Count, "problem")} in the configuration (see above)");
        return 1;
    }

    private static void WriteSettings(SettingsInspection inspection, TextWriter output)
    {
        output.WriteLine("Settings:");
        var width = SettingsLoader.Definitions.Max(d => d.Name.Length);
        var valueWidth = inspection.Values.Select(v => v.Value.Length).DefaultIfEmpty(0).Max();
        foreach (var d in SettingsLoader.Definitions)
        {
            var effective = inspection.Values.FirstOrDefault(v => v.Name == d.Name);
            var value = effective?.Value ?? "?";
            output.WriteLine($"  {d.Name.PadRight(width)} = {value.PadRight(valueWidth)}  {Origin(d, effective)}");
        }
    }

    private static string Origin(SettingDefinition d, EffectiveSetting? effective)
    {
        if (effective is null)
            return "(missing or invalid, see problems)";
        if (effective.Source is not { } source)
            return "(default)";
        var alias = source.Name == d.Name ? "" : $" as {source.Name}";
        var raw = source.Value == effective.Value ? "" : $", given as \"{source.Value}\"";
        return $"({source.Where}{alias}{raw})";
    }

    /// <summary>The daemon's view of hosts.tab when the settings are complete, else the bare file.</summary>
    private static HostTable? LoadHosts(string path, LoncSettings? settings, List<Diagnostic> problems)
    {
        try
        {
            return settings is null ? HostTable.Load(path) : HostTable.Load(settings);
        }
        catch (ConfigException e)
        {
            problems.AddRange(e.Problems);
            return null;
        }
    }

    private static void WriteHosts(HostTable table, string path, string? ownId, TextWriter output)
    {
        output.WriteLine($"Hosts ({path}: {Count(table.Hosts.Count, "host")}):");
        if (table.Hosts.Count == 0)
            return;
        var rows = new List<string[]> { new[] { "ID", "DOMAIN", "ROLE", "HOSTNAME", "IP", "" } };
        rows.AddRange(table.Hosts.Select(h => new[]
        {
            h.Id, h.Domain, h.Role, h.Hostname, h.Address.ToString(), h.Id == ownId ? "this server (lonHostID)" : "",
        }));
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            output.WriteLine("  " + string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
    }

    private static void WriteReadiness(ReadinessReport readiness, string user, TextWriter output)
    {
        var account = readiness.Account is { } a ? $"user {user}, uid {a.Uid}" : $"user {user}, which does not exist";
        output.WriteLine($"Directories lonc writes to (checked for {account}):");
        var width = readiness.Directories.Select(d => d.Path.Length).DefaultIfEmpty(0).Max();
        foreach (var d in readiness.Directories)
            output.WriteLine($"  {d.Path.PadRight(width)}  {d.Purpose}");
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
