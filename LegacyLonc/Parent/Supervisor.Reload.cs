using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>USR2: the configuration and hosts.tab are read again and applied host by host.</summary>
/// <remarks>
/// loncnew 1.40's <c>UpdateKids</c> did this per host; loncnew 1.109 gave up and restarted every child,
/// timing out every transaction in flight. Here only the hosts that were removed or changed lose their
/// child; every other child keeps its pid, its lond link and its clients.
/// </remarks>
public sealed partial class Supervisor
{
    /// <summary>
    /// Settings the parent's own files and every running child were set up with; a USR2 that finds any of them
    /// changed applies nothing and asks for a HUP, so no host ever runs on a mix of old and new.
    /// </summary>
    private static readonly (string Name, Func<LoncSettings, object> Value)[] NeedRestart =
    {
        ("lonHostID", s => s.LonHostId),
        ("londPort", s => s.LondPort),
        ("lonSockDir", s => s.LonSockDir),
        ("lonDaemons", s => s.LonDaemons),
        ("lonDocRoot", s => s.LonDocRoot),
    };

    private void Reload()
    {
        _log.Info("Updating connections via SIGUSR2");
        var disk = ConfigurationOnDisk.Read(_confDir, _options.User);
        if (disk.Settings is not { } fresh)
        {
            foreach (var line in disk.Problems)
                _log.Warning($"{line}");
            _log.Warning("USR2: the configuration has errors; hosts and settings stay as they are");
            return;
        }
        var moved = NeedRestart.Where(n => !n.Value(fresh).Equals(n.Value(_settings))).Select(n => n.Name).ToList();
        if (moved.Count > 0)
        {
            _log.Warning(
                $"USR2: {string.Join(", ", moved)} changed; that needs a restart (HUP): nothing applied");
            return;
        }

        _settings = fresh;
        _children.Configure(fresh.ChildMaxAttempts, RestartBackoff.From(fresh));
        if (disk.Hosts is not { } next)
        {
            _log.Warning($"USR2: {string.Join("; ", disk.Problems)}; the {_table.Count} hosts stay as they are");
            return;
        }
        foreach (var problem in disk.Problems)
            _log.Warning($"{problem}");

        Apply(HostTableChange.Between(_table, next));
    }

    private void Apply(HostTableChange change)
    {
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in change.Removed)
        {
            About(host).Critical($"Killing child for {host} host no longer exists");
            why[host] = _log.LastLog;
        }
        foreach (var entry in change.Changed)
            About(entry.Id).Critical($"Killing child for {entry.Id} host ip has changed...");
        Retire(change.Removed.Concat(change.Changed.Select(c => c.Id)).ToList());

        foreach (var host in change.Removed)
        {
            // The status report shows why the host is gone, not its child's last words.
            _children.Note(host, why[host]);
            _children.Remove(host);
        }
        foreach (var entry in change.Added)
        {
            _children.Add(entry.Id);
            About(entry.Id).Info($"New host {entry.Id} discovered in hosts.tab...");
        }
        _children.Reorder(change.Table.Select(h => h.Id).ToList());
        _table = change.Table;

        // Changed hosts start afresh on the new IP as soon as their old child is gone (StartChild waits for it).
        foreach (var entry in change.Changed)
        {
            _children.ResetCounters(entry.Id);
            StartChild(entry.Id);
        }
        foreach (var entry in change.Added)
            StartChild(entry.Id);
        foreach (var host in change.KeptMalformed)
            About(host).Warning($"{host} keeps running as it was: its line in hosts.tab is not valid (see above)");
        if (change.IsEmpty)
            _log.Log("USR2: no host added, removed or changed");
    }

    /// <summary>
    /// Hangs up the children of <paramref name="hosts"/> as at shutdown (<c>exit</c> through the socket, then SIGINT)
    /// without waiting: the main loop reaps them, SIGKILLs any that outstay <see cref="StopGrace"/>, and only then
    /// starts a host's new child, so two children never share a socket path.
    /// </summary>
    private void Retire(IReadOnlyList<string> hosts)
    {
        var children = hosts.Where(h => _children.PidOf(h) is not null).Select(h => (h, _children.PidOf(h)!.Value)).ToList();
        var killAt = MonotonicClock.After(StopGrace);
        foreach (var (host, pid) in AskToClose(children))
        {
            _children.Retire(host, killAt, MonotonicClock.Now);
            _log.Status($"Kill PID {pid} for {host}");
            Signals.Send(pid, Signals.Int);
        }
    }
}
