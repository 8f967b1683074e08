using System.Globalization;

namespace LegacyLonc.Configuration;

/// <summary>
/// Reads <c>loncapa_apache.conf</c> then <c>loncapa.conf</c> from a configuration directory
/// (as LONCAPA::Configuration::read_conf did) and builds <see cref="LoncSettings"/>.
/// </summary>
/// <remarks>
/// The later definition of a name wins, so loncapa.conf (the site's file) overrides loncapa_apache.conf.
/// Names are case-sensitive, as in read_conf's Perl hash. Both files must be readable.
/// </remarks>
public static class SettingsLoader
{
    public const string ApacheConfName = "loncapa_apache.conf";
    public const string SiteConfName = "loncapa.conf";

    // Upper bound for seconds: keeps "seconds * 1000" inside an int for the timers that use milliseconds.
    private const int MaxSeconds = 86400;

    /// <summary>The largest <c>loncPipelineDepth</c>: requests one batch may hold on a link.</summary>
    public const int MaxPipelineDepth = 64;

    /// <summary>Every key lonc reads, in the order <c>--check-config</c> prints them. Defaults are 1.53's hard-coded values.</summary>
    public static IReadOnlyList<SettingDefinition> Definitions { get; } = new SettingDefinition[]
    {
        new("lonHostID", SettingKind.Text),
        new("londPort", SettingKind.Number, Min: 1, Max: 65535),
        new("lonSockDir", SettingKind.Directory),
        new("lonDaemons", SettingKind.Directory),
        new("lonTabDir", SettingKind.Directory, Alias: "lonTabs"),
        new("lonDocRoot", SettingKind.Directory),
        new("loncChildMaxAttempts", SettingKind.Number, Default: "5"),
        new("loncFailSleepMin", SettingKind.Number, Default: "120", Max: MaxSeconds),
        new("loncFailSleepSpread", SettingKind.Number, Default: "240", Max: MaxSeconds),
        new("loncPongDelay", SettingKind.Number, Default: "5", Max: MaxSeconds),
        new("loncInitTimeout", SettingKind.Number, Default: "60", Min: 1, Max: MaxSeconds),
        new("loncRequestTimeout", SettingKind.Number, Default: "300", Min: 1, Max: MaxSeconds),
        // Not in 1.53: off keeps its give-up-after-loncChildMaxAttempts supervision exactly.
        new("loncRestartBackoff", SettingKind.Switch, Default: "off"),
        new("loncRestartBackoffMin", SettingKind.Number, Default: "10", Min: 1, Max: MaxSeconds),
        new("loncRestartBackoffMax", SettingKind.Number, Default: "600", Min: 1, Max: MaxSeconds),
        new("loncRestartBackoffReset", SettingKind.Number, Default: "300", Min: 1, Max: MaxSeconds),
        // Not in 1.53: 1 keeps its one request at a time on the link exactly.
        new("loncPipelineDepth", SettingKind.Number, Default: "1", Min: 1, Max: MaxPipelineDepth),
    };

    /// <summary>Loads and validates the settings; throws <see cref="ConfigException"/> naming key and files.</summary>
    public static LoncSettings Load(string confDir)
    {
        var inspection = Inspect(confDir);
        return inspection.Settings ?? throw new ConfigException(inspection.Problems);
    }

    /// <summary>Reads both files and reports every problem instead of stopping at the first.</summary>
    public static SettingsInspection Inspect(string confDir)
    {
        // Relative directory values are anchored here, so a later chdir (daemonizing) does not move them.
        var baseDir = Path.GetFullPath(confDir.Length == 0 ? "." : confDir);
        var names = new[] { ApacheConfName, SiteConfName }.Select(name => Path.Combine(confDir, name)).ToList();
        // A wrong --conf-dir is one mistake: one line, not one per file and per setting.
        if (!Directory.Exists(baseDir))
        {
            var what = File.Exists(baseDir) ? "is not a directory" : "no such directory";
            return new SettingsInspection(baseDir, names, Array.Empty<EffectiveSetting>(),
                new[] { new Diagnostic(baseDir, 0, $"{what}; --conf-dir names the directory that holds {SiteConfName}") }, null);
        }
        var files = names.Select(PerlSetVarFile.Read).ToList();
        var problems = files.SelectMany(f => f.Problems).ToList();
        var filesRead = files.Where(f => f.WasRead).Select(f => f.Path).ToList();

        var latest = new Dictionary<string, PerlSetVar>(StringComparer.Ordinal);
        foreach (var v in files.SelectMany(f => f.Variables))
            latest[v.Name] = v;

        var values = new List<EffectiveSetting>();
        foreach (var d in Definitions)
        {
            // The alias counts only when the proper name is absent everywhere.
            var source = latest.GetValueOrDefault(d.Name) ?? (d.Alias is null ? null : latest.GetValueOrDefault(d.Alias));
            if (source is null)
            {
                if (d.Default is { } fallback)
                    values.Add(new EffectiveSetting(d.Name, fallback, null));
                // An unreadable file is its own problem: the settings it would have held are not listed one by one.
                else if (filesRead.Count == files.Count)
                    problems.Add(Missing(d, files[^1].Path, filesRead, latest));
                continue;
            }

            var error = Convert(d, source.Value, baseDir, out var value);
            if (error is null)
                values.Add(new EffectiveSetting(d.Name, value, source));
            else
                problems.Add(new Diagnostic(source.File, source.Line, error));
        }

        if (BackoffRangeProblem(values) is { } range)
            problems.Add(range);

        // File order, then line; whole-file problems (missing settings) after that file's lines.
        var paths = files.Select(f => f.Path).ToList();
        problems = problems.OrderBy(p => paths.IndexOf(p.File)).ThenBy(p => p.Line == 0 ? int.MaxValue : p.Line).ToList();
        var settings = problems.Count == 0 ? Build(values, filesRead) : null;
        return new SettingsInspection(baseDir, paths, values, problems, settings);
    }

    /// <summary>
    /// Settings from <see cref="LoncSettings.EffectiveValues"/> (the snapshot a parent handed its child): every value is
    /// checked as if read from a file; a missing one takes its default. Throws <see cref="ConfigException"/>.
    /// </summary>
    public static LoncSettings FromValues(IReadOnlyDictionary<string, string> effective, string origin)
    {
        var values = new List<EffectiveSetting>();
        var problems = new List<Diagnostic>();
        foreach (var d in Definitions)
        {
            if (!effective.TryGetValue(d.Name, out var raw) && (raw = d.Default) is null)
            {
                problems.Add(new Diagnostic(origin, 0, $"{d.Name} is missing"));
                continue;
            }
            // Directories are absolute already; "/" only keeps a relative one from meaning the current directory.
            if (Convert(d, raw, "/", out var value) is { } error)
                problems.Add(new Diagnostic(origin, 0, error));
            else
                values.Add(new EffectiveSetting(d.Name, value, new PerlSetVar(d.Name, raw, origin, 0)));
        }
        if (BackoffRangeProblem(values) is { } range)
            problems.Add(range);
        return problems.Count == 0 ? Build(values, Array.Empty<string>()) : throw new ConfigException(problems);
    }

    /// <summary>Checks one value; returns an error message, or null with the normalised value.</summary>
    private static string? Convert(SettingDefinition d, string raw, string baseDir, out string value)
    {
        value = raw;
        if (raw.Length == 0)
            return $"{d.Name} is empty";
        if (raw.Contains('\0'))
            return $"{d.Name} contains a NUL character";
        switch (d.Kind)
        {
            case SettingKind.Directory:
                value = Path.TrimEndingDirectorySeparator(Path.GetFullPath(raw, baseDir));
                return null;
            case SettingKind.Number:
                var range = $"expected a whole number from {d.Min} to {d.Max}";
                if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                    return $"{d.Name} \"{raw}\" is not a number ({range})";
                if (n < d.Min || n > d.Max)
                    return $"{d.Name} {n} is out of range ({range})";
                value = n.ToString(CultureInfo.InvariantCulture);
                return null;
            case SettingKind.Switch:
                value = raw.ToLowerInvariant();
                return value is "on" or "off" ? null : $"{d.Name} \"{raw}\" is neither on nor off";
            default:
                return null;
        }
    }

    /// <summary>loncRestartBackoffMin above loncRestartBackoffMax is reported where the larger minimum was set.</summary>
    private static Diagnostic? BackoffRangeProblem(IReadOnlyList<EffectiveSetting> values)
    {
        var min = values.FirstOrDefault(v => v.Name == "loncRestartBackoffMin");
        var max = values.FirstOrDefault(v => v.Name == "loncRestartBackoffMax");
        if (min is null || max is null)
            return null;
        var lo = int.Parse(min.Value, CultureInfo.InvariantCulture);
        var hi = int.Parse(max.Value, CultureInfo.InvariantCulture);
        if (lo <= hi)
            return null;
        var where = min.Source ?? max.Source!;
        return new Diagnostic(where.File, where.Line,
            $"loncRestartBackoffMin {lo} is above loncRestartBackoffMax {hi} (the delays grow from the minimum to the maximum)");
    }

    private static Diagnostic Missing(SettingDefinition d, string reportFile, IReadOnlyList<string> filesRead, Dictionary<string, PerlSetVar> latest)
    {
        var message = $"{d.Names} is not set: no PerlSetVar {d.Name} in {string.Join(" or ", filesRead)}";
        // A near miss in letter case is the usual cause; say so rather than leave the admin guessing.
        var nearMiss = latest.Values.FirstOrDefault(v =>
            v.Name.Equals(d.Name, StringComparison.OrdinalIgnoreCase) ||
            (d.Alias is not null && v.Name.Equals(d.Alias, StringComparison.OrdinalIgnoreCase)));
        if (nearMiss is not null)
            message += $" (found {nearMiss.Name} at {nearMiss.Where}; names are case-sensitive)";
        return new Diagnostic(reportFile, 0, message);
    }

    private static LoncSettings Build(IReadOnlyList<EffectiveSetting> values, IReadOnlyList<string> filesRead)
    {
        var byName = values.ToDictionary(v => v.Name, v => v.Value);
        int Number(string name) => int.Parse(byName[name], CultureInfo.InvariantCulture);
        return new LoncSettings
        {
            LonHostId = byName["lonHostID"],
            LondPort = Number("londPort"),
            LonSockDir = byName["lonSockDir"],
            LonDaemons = byName["lonDaemons"],
            LonTabDir = byName["lonTabDir"],
            LonDocRoot = byName["lonDocRoot"],
            ChildMaxAttempts = Number("loncChildMaxAttempts"),
            FailSleepMin = Number("loncFailSleepMin"),
            FailSleepSpread = Number("loncFailSleepSpread"),
            PongDelay = Number("loncPongDelay"),
            InitTimeout = Number("loncInitTimeout"),
            RequestTimeout = Number("loncRequestTimeout"),
            RestartBackoff = byName["loncRestartBackoff"] == "on",
            RestartBackoffMin = Number("loncRestartBackoffMin"),
            RestartBackoffMax = Number("loncRestartBackoffMax"),
            RestartBackoffReset = Number("loncRestartBackoffReset"),
            PipelineDepth = Number("loncPipelineDepth"),
            FilesRead = filesRead,
            EffectiveValues = byName,
        };
    }
}
