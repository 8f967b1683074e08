using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// Replays the critical messages lonnet could not deliver: files <c>&lt;lonSockDir&gt;/delayed/&lt;epoch&gt;.&lt;count&gt;.&lt;pid&gt;.&lt;cmd&gt;.&lt;host&gt;</c>
/// whose host field is exactly this child's host (<see cref="SpoolFileName"/>), in sorted order, one command each.
/// Only a regular file of lonc's own user, under one name, is read (<see cref="SpoolFile"/>); anything else is
/// logged and left alone. A file is deleted only after lond gave a real answer; anything else keeps it for a later
/// round. A file whose content does not end in a newline may still be being written by lonnet (<c>&lt;cmd&gt;\n</c>):
/// it is skipped until it is complete. One instance lives as long as the child, so a file kept for the same reason
/// is logged once, not every round.
/// </summary>
public sealed class DelayedSpool
{
    private readonly string _dir;
    private readonly string _host;
    private readonly LoncLog _log;
    private readonly uint _owner = UnixAccount.EffectiveUid;
    // Each kept file with the reason last logged for it: a reason is logged once, until it changes or the file goes.
    private readonly Dictionary<string, string> _reported = new(StringComparer.Ordinal);

    public DelayedSpool(string dir, string host, LoncLog log)
    {
        _dir = dir;
        _host = host;
        _log = log;
    }

    /// <summary>How a replay pass ended.</summary>
    public enum Result { Done, LinkLost, Stopped }

    /// <summary>
    /// The spool files for this host, sorted by name as 1.53 sorted them. 1.53 took every name matching
    /// <c>/\.$conserver$/</c>; a name that ends so but is not shaped as lonnet names spool files is logged and kept.
    /// </summary>
    public IReadOnlyList<string> PendingFiles()
    {
        if (!Directory.Exists(_dir))
            return Array.Empty<string>();
        var suffix = "." + _host;
        string[] names;
        try
        {
            names = Directory.GetFiles(_dir).Select(Path.GetFileName).OfType<string>()
                .Where(n => n.EndsWith(suffix, StringComparison.Ordinal))
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning($"Can't read delayed directory {LogText.EscapeMarkup(_dir)}: {SystemErrorText.Of(e)}");
            return Array.Empty<string>();
        }
        // Forget files that are gone, so a name that comes back is reported again.
        foreach (var gone in _reported.Keys.Except(names).ToList())
            _reported.Remove(gone);
        var mine = new List<string>(names.Length);
        foreach (var name in names)
        {
            if (SpoolFileName.IsFor(name, _host))
                mine.Add(name);
            else if (SpoolFileName.HostOf(name) is null)
                ReportOnce(name, "misnamed", $"is not named epoch.count.pid.cmd.{_host} as lonnet names delayed messages; not sent, kept");
        }
        mine.Sort(StringComparer.Ordinal);
        return mine;
    }

    /// <summary>
    /// Sends every pending message through <paramref name="relay"/>. Stops at the first message whose
    /// transaction broke the link (the caller reconnects or exits; the file stays).
    /// </summary>
    public Result Replay(RequestRelay relay)
    {
        _log.Status("Checking for delayed messages");
        foreach (var name in PendingFiles())
        {
            _log.Status($"Sending delayed: {name}");
            var path = Path.Combine(_dir, name);
            var command = ReadCommand(path, name);
            if (command is null)
                continue;
            _reported.Remove(name);

            var outcome = relay.Transact(command, relay.InitTimeout, out var wire, out var answer);
            if (outcome == LinkOutcome.Interrupted)
                return Result.Stopped;
            if (outcome != LinkOutcome.Reply)
            {
                _log.Warning($"Delayed {PeerText.Quote(wire)} to {_host} not delivered ({Describe(outcome)}); kept {name}");
                return Result.LinkLost;
            }
            if (answer.Length == 0 || answer == "con_lost")
            {
                _log.Warning($"Delayed {PeerText.Quote(wire)} to {_host}: >{PeerText.Quote(answer)}< (no answer); kept {name}");
                continue;
            }
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning($"Delayed {PeerText.Quote(wire)} to {_host} was delivered but {name} could not be removed: {SystemErrorText.Of(e)}");
            }
            _log.Log($"Delayed {PeerText.Quote(wire)} to {_host}: >{PeerText.Quote(answer)}<");
            _log.Perm($"S:{_host}:{command}");
        }
        return Result.Done;
    }

    /// <summary>The command of a spool file; null (logged once, file kept) when there is none to send yet or ever.</summary>
    private string? ReadCommand(string path, string name)
    {
        var content = SpoolFile.Read(path, _owner);
        var why = content.Status switch
        {
            SpoolFile.Status.Ready => null,
            SpoolFile.Status.Empty => "is empty; kept",
            SpoolFile.Status.Incomplete => "does not end in a newline yet (lonnet may still be writing it); kept for a later round",
            SpoolFile.Status.TooLong => $"is longer than {Limits.MaxRequestLine} bytes; kept",
            SpoolFile.Status.Untrusted => $"{content.Text}; not sent, kept (only a regular file of lonc's user with one link is replayed)",
            _ => $"cannot be read: {content.Text}; kept",
        };
        if (why is null)
            return content.Text;
        ReportOnce(name, $"{content.Status}:{content.Text}", why);
        return null;
    }

    /// <summary>Logs <c>WARNING: Delayed message &lt;path&gt; &lt;why&gt;</c> unless this file was last reported for the same <paramref name="reason"/>.</summary>
    private void ReportOnce(string name, string reason, string why)
    {
        if (_reported.TryGetValue(name, out var last) && last == reason)
            return;
        _reported[name] = reason;
        _log.Warning($"Delayed message {LogText.EscapeMarkup(Path.Combine(_dir, name))} {why}");
    }

    private static string Describe(LinkOutcome o) => o switch
    {
        LinkOutcome.Timeout => "timeout",
        LinkOutcome.Closed => "connection lost",
        LinkOutcome.Oversized => "oversized reply",
        _ => o.ToString(),
    };
}
