using System.Text;
using LegacyLonc.Logging;

namespace LegacyLonc.Child;

/// <summary>
/// Text from a peer (lond's replies, a client's request, a child's answer to the parent) as it is quoted in a log
/// line: at most <see cref="MaxQuoted"/> bytes, read as Latin-1 like Perl's bytes, with "..." when cut, and with
/// <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> as entities (<see cref="LogText.EscapeMarkup"/>: loncron shows lonc.log
/// as HTML, and a peer must not put markup into that page). Control characters are escaped by
/// <see cref="Logging.LoncLog"/> for every line, so they are left alone here.
/// </summary>
public static class PeerText
{
    /// <summary>Longest piece of peer text quoted in one log line (before its markup is escaped).</summary>
    public const int MaxQuoted = 200;

    /// <summary>The bytes as they are, cut to <see cref="MaxQuoted"/>, markup escaped.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes) =>
        LogText.EscapeMarkup(bytes.Length <= MaxQuoted
            ? Encoding.Latin1.GetString(bytes)
            : Encoding.Latin1.GetString(bytes[..MaxQuoted]) + "...");

    /// <summary>A text already decoded, cut to <see cref="MaxQuoted"/> characters, markup escaped.</summary>
    public static string Quote(string text) => LogText.EscapeMarkup(text.Length <= MaxQuoted ? text : text[..MaxQuoted] + "...");

    /// <summary>A request or reply line without its newline, cut to <see cref="MaxQuoted"/>, markup escaped.</summary>
    public static string Line(ReadOnlySpan<byte> line) =>
        Quote(line.Length > 0 && line[^1] == (byte)'\n' ? line[..^1] : line);
}
