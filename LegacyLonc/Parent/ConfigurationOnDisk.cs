using LegacyLonc.Cli;
using LegacyLonc.Configuration;

namespace LegacyLonc.Parent;

/// <summary>
/// The configuration and hosts.tab as they are on disk now, read the way the parent applies them (USR2) or
/// starts on them (HUP): the settings, the host table, every problem with its file and line, and what start-up
/// would refuse on this machine (<see cref="StartupReadiness"/>).
/// </summary>
/// <remarks>
/// <see cref="Settings"/> is null when the configuration has errors (the table is not read then);
/// <see cref="Hosts"/> is null when hosts.tab cannot be read. A readable hosts.tab with bad lines has a table
/// and its lines in <see cref="Problems"/>.
/// </remarks>
/// <param name="Refusals">What the start-up checks of a new image would refuse (directories, no usable host).</param>
public sealed record ConfigurationOnDisk(LoncSettings? Settings, HostTable? Hosts, IReadOnlyList<string> Problems,
    IReadOnlyList<string> Refusals)
{
    /// <summary>Reads both and runs the start-up checks for <paramref name="user"/>; never throws for what an administrator can get wrong.</summary>
    public static ConfigurationOnDisk Read(string confDir, string user)
    {
        var inspection = SettingsLoader.Inspect(confDir);
        if (inspection.Settings is not { } settings)
            return new ConfigurationOnDisk(null, null, inspection.Problems.Select(p => p.ToString()).ToList(), Array.Empty<string>());
        HostTable hosts;
        try
        {
            hosts = HostTable.Load(settings);
        }
        catch (ConfigException e)
        {
            return new ConfigurationOnDisk(settings, null, Lines(e), Array.Empty<string>());
        }
        var refusals = StartupReadiness.Check(inspection, user, hosts).Problems.Select(p => p.ToString()).ToList();
        return new ConfigurationOnDisk(settings, hosts, hosts.Problems.Select(p => p.ToString()).ToList(), refusals);
    }

    /// <summary>
    /// Why a lonc started on these files would not serve every host it lists: any problem at all, anything its
    /// start-up checks refuse, or no host. Null when a restart on them is safe.
    /// </summary>
    public IReadOnlyList<string>? RestartBlockers()
    {
        if (Problems.Count > 0 || Refusals.Count > 0)
            return Problems.Concat(Refusals).Distinct().ToList();
        if (Hosts is { Hosts.Count: 0 })
            return new[] { $"{Settings!.HostsTabPath}: no host" };
        return null;
    }

    private static IReadOnlyList<string> Lines(ConfigException e) =>
        e.Problems.Count > 0 ? e.Problems.Select(p => p.ToString()).ToList() : e.Message.Split('\n');
}
