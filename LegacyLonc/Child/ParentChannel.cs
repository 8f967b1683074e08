using System.Globalization;
using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// A child's one-way channel to its parent: descriptor <see cref="Descriptor"/>, the write end of one pipe the
/// parent creates and hands to every child it spawns (dup2 onto 3 by posix_spawn; the child is told with
/// <c>--report-fd 3</c>). Each message is one line <c>&lt;verb&gt; &lt;host&gt; &lt;pid&gt;\n</c> written with one
/// write(2): far below PIPE_BUF, so lines of many children never interleave.
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

    /// <summary>Longest line the parent accepts; a host id is far shorter (socket path limit).</summary>
    public const int MaxLine = 256;

    private static int _fd = -1;

    /// <summary>A parsed message.</summary>
    public readonly record struct Message(string Verb, string Host, int Pid);

    /// <summary>Uses <paramref name="fd"/> from now on (null: no parent to tell).</summary>
    public static void Attach(int? fd) => _fd = fd ?? -1;

    /// <summary>True once <see cref="Attach"/> gave a descriptor.</summary>
    public static bool IsAttached => _fd >= 0;

    /// <summary>Tells the parent <paramref name="verb"/> about <paramref name="host"/>; false when there is no channel or the write failed.</summary>
    public static bool Tell(string verb, string host)
    {
        if (_fd < 0)
            return false;
        var bytes = Encoding.ASCII.GetBytes(Format(verb, host, Environment.ProcessId));
        return RawFile.WriteOnce(_fd, bytes, out _) == bytes.Length;
    }

    /// <summary><c>&lt;verb&gt; &lt;host&gt; &lt;pid&gt;\n</c>.</summary>
    public static string Format(string verb, string host, int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"{verb} {host} {pid}\n");

    /// <summary>Parses one line (newline removed); false for anything that is not exactly verb, host and a pid.</summary>
    public static bool TryParse(string line, out Message message)
    {
        message = default;
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] is not (Online or Sleeping or ResetRetries) || parts[1].Length == 0 ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            return false;
        message = new Message(parts[0], parts[1], pid);
        return true;
    }
}
