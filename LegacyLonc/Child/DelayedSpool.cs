using System.Text;
using LegacyLonc.Logging;

namespace LegacyLonc.Child;

/// <summary>
/// Replays the critical messages lonnet could not deliver: files <c>&lt;lonSockDir&gt;/delayed/*.&lt;host&gt;</c>
/// (named <c>&lt;epoch&gt;.&lt;count&gt;.&lt;pid&gt;.&lt;cmd&gt;.&lt;host&gt;</c>), in sorted order, one command each.
/// A file is deleted only after lond gave a real answer; anything else keeps it for a later child.
/// </summary>
public sealed class DelayedSpool
{
    private readonly string _dir;
    private readonly string _host;
    private readonly LoncLog _log;

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
            _log.Log(LogColor.Blue, $"WARNING: Can't read delayed directory {_dir}: {e.Message}");
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
        foreach (var name in PendingFiles())
        {
            _log.Status($"Sending delayed: {name}");
            var path = Path.Combine(_dir, name);
            var command = ReadCommand(path);
            if (command is null)
                continue;

            var outcome = relay.Transact(command, relay.InitTimeout, out var wire, out var answer);
            if (outcome == LinkOutcome.Interrupted)
                return Result.Stopped;
            if (outcome != LinkOutcome.Reply)
            {
                _log.Log(LogColor.Blue, $"WARNING: Delayed {wire} to {_host} not delivered ({Describe(outcome)}); kept {name}");
                return Result.LinkLost;
            }
            if (answer.Length == 0 || answer == "con_lost")
            {
                _log.Log(LogColor.Blue, $"WARNING: Delayed {wire} to {_host}: >{answer}< (no answer); kept {name}");
                continue;
            }
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Log(LogColor.Blue, $"WARNING: Delayed {wire} to {_host} was delivered but {name} could not be removed: {e.Message}");
            }
            _log.Log($"Delayed {wire} to {_host}: >{answer}<");
            _log.Perm($"S:{_host}:{command}");
        }
        return Result.Done;
    }

    /// <summary>The first line of a spool file, chomped; null (logged, file kept) when unreadable or empty.</summary>
    private string? ReadCommand(string path)
    {
        byte[] bytes;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buf = new byte[Math.Min(f.Length, Limits.MaxRequestLine + 2)];
            var n = f.ReadAtLeast(buf, buf.Length, throwOnEndOfStream: false);
            bytes = buf.AsSpan(0, n).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Log(LogColor.Blue, $"WARNING: Can't read delayed message {path}: {e.Message}; kept");
            return null;
        }
        var nl = Array.IndexOf(bytes, (byte)'\n');
        var line = nl >= 0 ? bytes.AsSpan(0, nl) : bytes.AsSpan();
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (line.Length == 0)
        {
            _log.Log(LogColor.Blue, $"WARNING: Delayed message {path} is empty; kept");
            return null;
        }
        if (line.Length > Limits.MaxRequestLine)
        {
            _log.Log(LogColor.Blue, $"WARNING: Delayed message {path} is longer than {Limits.MaxRequestLine} bytes; kept");
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
