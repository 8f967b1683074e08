using System.Text;

namespace LegacyLonc.Child;

/// <summary>
/// Text from a peer (lond's replies, a client's request) as it is quoted in a log line: at most
/// <see cref="MaxQuoted"/> bytes, read as Latin-1 like Perl's bytes, with "..." when cut. Control characters are
/// escaped by <see cref="Logging.LoncLog"/> for every line, so they are left alone here.
/// </summary>
public static class PeerText
{
    /// <summary>Longest piece of peer text quoted in one log line.</summary>
    public const int MaxQuoted = 200;

    /// <summary>The bytes as they are, cut to <see cref="MaxQuoted"/>.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes) =>
        bytes.Length <= MaxQuoted
            ? Encoding.Latin1.GetString(bytes)
            : Encoding.Latin1.GetString(bytes[..MaxQuoted]) + "...";

    /// <summary>A text already decoded, cut to <see cref="MaxQuoted"/> characters.</summary>
    public static string Quote(string text) => text.Length <= MaxQuoted ? text : text[..MaxQuoted] + "...";

    /// <summary>A request or reply line without its newline, cut to <see cref="MaxQuoted"/>.</summary>
    public static string Line(ReadOnlySpan<byte> line) =>
        Quote(line.Length > 0 && line[^1] == (byte)'\n' ? line[..^1] : line);
}
