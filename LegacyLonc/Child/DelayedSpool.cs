using System.Text;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// Replays the critical messages lonnet could not deliver: files <c>&lt;lonSockDir&gt;/delayed/*.&lt;host&gt;</c>
/// (named <c>&lt;epoch&gt;.&lt;count&gt;.&lt;pid&gt;.&lt;cmd&gt;.&lt;host&gt;</c>), in sorted order, one command each.
/// A file is deleted only after lond gave a real answer; anything else keeps it for a later round. A file whose
/// content does not end in a newline may still be being written by lonnet (<c>&lt;cmd&gt;\n</c>): it is skipped
/// until it is complete. One instance lives as long as the child, so such a file is logged once, not every round.
/// </summary>
public sealed class DelayedSpool
{
    private readonly string _dir;
    private readonly string _host;
    private readonly LoncLog _log;
    private readonly HashSet<string> _reportedWaiting = new(StringComparer.Ordinal);

    public DelayedSpool(string dir, string host, LoncLog log)
    {
        _dir = dir;
        _host = host;
        _log = log;
    }

    /// <summary>How a replay pass ended.</summary>
    public enum Result { Done, LinkLost, Stopped }

    /// <summary>The spool files for this host, sorted by name (1.53: <c>sort grep /\.$conserver$/</c>).</summary>
    public IReadOnlyList<string> PendingFiles()
    {
        if (!Directory.Exists(_dir))
            return Array.Empty<string>();
        var suffix = "." + _host;
        string[] names;
        try
        {
            names = Directory.GetFiles(_dir).Select(Path.GetFileName).OfType<string>()
                .Where(n => n.EndsWith(suffix, StringComparison.Ordinal) && n.Length > suffix.Length)
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Log(LogColor.Blue, $"WARNING: Can't read delayed directory {_dir}: {SystemErrorText.Of(e)}");
            return Array.Empty<string>();
        }
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Sends every pending message through <paramref name="relay"/>. Stops at the first message whose
    /// transaction broke the link (the caller reconnects or exits; the file stays).
    /// </summary>
    public Result Replay(RequestRelay relay)
    {
        _log.Status("Checking for delayed messages");
        var pending = PendingFiles();
        // Forget files that are gone, so a name that comes back is reported again.
        _reportedWaiting.IntersectWith(pending);
        foreach (var name in pending)
        {
            _log.Status($"Sending delayed: {name}");
            var path = Path.Combine(_dir, name);
            var command = ReadCommand(path, name);
            if (command is null)
                continue;
            _reportedWaiting.Remove(name);

            var outcome = relay.Transact(command, relay.InitTimeout, out var wire, out var answer);
            if (outcome == LinkOutcome.Interrupted)
                return Result.Stopped;
            if (outcome != LinkOutcome.Reply)
            {
                _log.Log(LogColor.Blue, $"WARNING: Delayed {PeerText.Quote(wire)} to {_host} not delivered ({Describe(outcome)}); kept {name}");
                return Result.LinkLost;
            }
            if (answer.Length == 0 || answer == "con_lost")
            {
                _log.Log(LogColor.Blue, $"WARNING: Delayed {PeerText.Quote(wire)} to {_host}: >{PeerText.Quote(answer)}< (no answer); kept {name}");
                continue;
            }
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Log(LogColor.Blue, $"WARNING: Delayed {PeerText.Quote(wire)} to {_host} was delivered but {name} could not be removed: {SystemErrorText.Of(e)}");
            }
            _log.Log($"Delayed {PeerText.Quote(wire)} to {_host}: >{PeerText.Quote(answer)}<");
            _log.Perm($"S:{_host}:{command}");
        }
        return Result.Done;
    }

    /// <summary>
    /// The first line of a spool file, chomped; null (logged, file kept) when unreadable, oversized, or not yet
    /// complete (empty, or no newline at the end: lonnet may still be writing it; logged once per file).
    /// </summary>
    private string? ReadCommand(string path, string name)
    {
        byte[] bytes;
        int last;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = f.Length;
            var buf = new byte[Math.Min(length, Limits.MaxRequestLine + 2)];
            var n = f.ReadAtLeast(buf, buf.Length, throwOnEndOfStream: false);
            bytes = buf.AsSpan(0, n).ToArray();
            if (n == length)
            {
                last = n > 0 ? bytes[^1] : -1;
            }
            else
            {
                f.Seek(-1, SeekOrigin.End);
                last = f.ReadByte();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Log(LogColor.Blue, $"WARNING: Can't read delayed message {path}: {SystemErrorText.Of(e)}; kept");
            return null;
        }
        if (last != '\n')
        {
            if (_reportedWaiting.Add(name))
            {
                _log.Log(LogColor.Blue, bytes.Length == 0
                    ? $"WARNING: Delayed message {path} is empty; kept"
                    : $"WARNING: Delayed message {path} does not end in a newline yet (lonnet may still be writing it); kept for a later round");
            }
            return null;
        }
        var nl = Array.IndexOf(bytes, (byte)'\n');
        var line = nl >= 0 ? bytes.AsSpan(0, nl) : bytes.AsSpan();
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (nl < 0 || line.Length > Limits.MaxRequestLine)
        {
            _log.Log(LogColor.Blue, $"WARNING: Delayed message {path} is longer than {Limits.MaxRequestLine} bytes; kept");
            return null;
        }
        if (line.Length == 0)
        {
            if (_reportedWaiting.Add(name))
                _log.Log(LogColor.Blue, $"WARNING: Delayed message {path} is empty; kept");
            return null;
        }
        return Encoding.Latin1.GetString(line);
    }

    private static string Describe(LinkOutcome o) => o switch
    {
        LinkOutcome.Timeout => "timeout",
        LinkOutcome.Closed => "connection lost",
        LinkOutcome.Oversized => "oversized reply",
        _ => o.ToString(),
    };
}
