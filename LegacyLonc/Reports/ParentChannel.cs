using System.Globalization;
using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Reports;

/// <summary>
/// A child's one-way channel to its parent: descriptor <see cref="Descriptor"/>, the write end of one pipe the
/// parent creates and hands to every child it spawns (dup2 onto 3 by posix_spawn; the child is told with
/// <c>--report-fd 3</c>). Each message is one line <c>&lt;verb&gt; &lt;host&gt; &lt;pid&gt;\n</c> written with one
/// write(2): far below PIPE_BUF, so lines of many children never interleave. <c>sleeping</c> also carries the
/// seconds of the fail sleep and why the child failed: <c>sleeping &lt;host&gt; &lt;pid&gt; &lt;seconds&gt; &lt;reason&gt;\n</c>
/// (the status the parent keeps shows them, see <c>Status.StatusSnapshot</c>).
/// </summary>
/// <remarks>
/// The parent made the pipe non-blocking, so a parent that stopped reading can never stall a child: a message
/// that does not fit is dropped and <see cref="Tell"/> says so. A child run by hand has no channel and tells nobody.
/// The pid lets the parent ignore a message from a child it no longer counts as the host's (one being retired).
/// </remarks>
public static class ParentChannel
{
    /// <summary>The descriptor the parent places the channel on in every child.</summary>
    public const int Descriptor = 3;

    /// <summary>The child listens on its socket with an open lond link.</summary>
    public const string Online = "online";
    /// <summary>The child failed and sleeps before it exits (1.53's fail sleep).</summary>
    public const string Sleeping = "sleeping";
    /// <summary>A client sent <c>reset_retries</c>: zero the host's attempt counter.</summary>
    public const string ResetRetries = "reset_retries";

    /// <summary>Longest line the parent accepts: a host id (socket path limit) and a reason of <see cref="MaxReasonChars"/>.</summary>
    public const int MaxLine = 2048;

    /// <summary>A reason is cut to this many characters (at most 3 bytes each in UTF-8: the line stays below PIPE_BUF).</summary>
    public const int MaxReasonChars = 400;

    private static int _fd = -1;

    /// <summary>A parsed message.</summary>
    public readonly record struct Message(string Verb, string Host, int Pid, int SleepSeconds = 0, string Reason = "");

    /// <summary>Uses <paramref name="fd"/> from now on (null: no parent to tell).</summary>
    public static void Attach(int? fd) => _fd = fd ?? -1;

    /// <summary>True once <see cref="Attach"/> gave a descriptor.</summary>
    public static bool IsAttached => _fd >= 0;

    /// <summary>Tells the parent <paramref name="verb"/> about <paramref name="host"/>; false when there is no channel or the write failed.</summary>
    public static bool Tell(string verb, string host) => Send(Format(verb, host, Environment.ProcessId));

    /// <summary>Tells the parent the child failed because of <paramref name="reason"/> and sleeps <paramref name="seconds"/> before it exits.</summary>
    public static bool TellSleeping(string host, int seconds, string reason) =>
        Send(FormatSleeping(host, Environment.ProcessId, seconds, reason));

    private static bool Send(string line)
    {
        if (_fd < 0)
            return false;
        var bytes = Encoding.UTF8.GetBytes(line);
        return RawFile.WriteOnce(_fd, bytes, out _) == bytes.Length;
    }

    /// <summary><c>&lt;verb&gt; &lt;host&gt; &lt;pid&gt;\n</c>.</summary>
    public static string Format(string verb, string host, int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"{verb} {host} {pid}\n");

    /// <summary><c>sleeping &lt;host&gt; &lt;pid&gt; &lt;seconds&gt; &lt;reason&gt;\n</c>, the reason on one line and cut to <see cref="MaxReasonChars"/>.</summary>
    public static string FormatSleeping(string host, int pid, int seconds, string reason)
    {
        var oneLine = string.Create(Math.Min(reason.Length, MaxReasonChars), reason,
            (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = char.IsControl(r[i]) ? ' ' : r[i]; });
        return string.Create(CultureInfo.InvariantCulture, $"{Sleeping} {host} {pid} {seconds} {oneLine}\n");
    }

    /// <summary>
    /// Parses one line (newline removed); false for anything that is not exactly verb, host and a pid, or for
    /// <c>sleeping</c> also the seconds and the reason.
    /// </summary>
    public static bool TryParse(string line, out Message message)
    {
        message = default;
        var parts = line.Split(' ', 5);
        if (parts.Length < 3 || parts[0] is not (Online or Sleeping or ResetRetries) || parts[1].Length == 0 ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            return false;
        if (parts.Length == 3)
        {
            message = new Message(parts[0], parts[1], pid);
            return true;
        }
        if (parts[0] != Sleeping || parts.Length != 5 ||
            !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        message = new Message(parts[0], parts[1], pid, seconds, parts[4]);
        return true;
    }
}
