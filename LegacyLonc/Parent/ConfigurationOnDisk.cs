using LegacyLonc.Configuration;

namespace LegacyLonc.Parent;

/// <summary>
/// The configuration and hosts.tab as they are on disk now, read the way the parent applies them (USR2) or
/// starts on them (HUP): the settings, the host table, and every problem with its file and line.
/// </summary>
/// <remarks>
/// <see cref="Settings"/> is null when the configuration has errors (the table is not read then);
/// <see cref="Hosts"/> is null when hosts.tab cannot be read. A readable hosts.tab with bad lines has a table
/// and its lines in <see cref="Problems"/>.
/// </remarks>
public sealed record ConfigurationOnDisk(LoncSettings? Settings, HostTable? Hosts, IReadOnlyList<string> Problems)
{
    /// <summary>Reads both; never throws for what an administrator can get wrong in the files.</summary>
    public static ConfigurationOnDisk Read(string confDir)
    {
        LoncSettings settings;
        try
        {
            settings = SettingsLoader.Load(confDir);
        }
        catch (ConfigException e)
        {
            return new ConfigurationOnDisk(null, null, Lines(e));
        }
        try
        {
            var hosts = HostTable.Load(settings);
            return new ConfigurationOnDisk(settings, hosts, hosts.Problems.Select(p => p.ToString()).ToList());
        }
        catch (ConfigException e)
        {
            return new ConfigurationOnDisk(settings, null, Lines(e));
        }
    }

    /// <summary>
    /// Why a lonc started on these files would not serve every host it lists: any problem at all, or no host.
    /// Null when a restart on them is safe.
    /// </summary>
    public IReadOnlyList<string>? RestartBlockers()
    {
        if (Problems.Count > 0)
            return Problems;
        if (Hosts is { Hosts.Count: 0 })
            return new[] { $"{Settings!.HostsTabPath}: no host" };
        return null;
    }

    private static IReadOnlyList<string> Lines(ConfigException e) =>
        e.Problems.Count > 0 ? e.Problems.Select(p => p.ToString()).ToList() : e.Message.Split('\n');
}
