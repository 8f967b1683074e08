using System.Text;

namespace LegacyLonc.Logging;

/// <summary>
/// Makes text from peers safe for <c>lonc.log</c>, the status file and the process title: every control
/// character (C0, DEL, C1) becomes <c>\xNN</c>. lond replies, garbage and client requests reach the log, and a
/// NUL, ESC or newline there would break loncron's parsing or an administrator's terminal. In <c>lonc.log</c>,
/// which loncron shows as HTML (hence 1.53's <c>&lt;font&gt;</c> markers), such text must not become markup
/// either: <see cref="EscapeMarkup"/>.
/// </summary>
public static class LogText
{
    /// <summary>True for a character that must not reach the log as itself.</summary>
    public static bool IsControl(char c) => c < 0x20 || (c >= 0x7f && c <= 0x9f);

    /// <summary><paramref name="text"/> with control characters written as <c>\xNN</c>; the same string when there are none.</summary>
    public static string Escape(string text)
    {
        var first = IndexOfControl(text);
        if (first < 0)
            return text;
        var b = new StringBuilder(text.Length + 16);
        b.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (IsControl(c))
                b.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else
                b.Append(c);
        }
        return b.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> written as HTML entities; the same
    /// string when it has none. For text from peers, clients and files, before lonc's own markers are added.
    /// </summary>
    public static string EscapeMarkup(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
            return text;
        var b = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => b.Append("&amp;"),
                '<' => b.Append("&lt;"),
                '>' => b.Append("&gt;"),
                _ => b.Append(c),
            };
        }
        return b.ToString();
    }

    /// <summary>
    /// Writes <paramref name="c"/> into <paramref name="target"/> at <paramref name="at"/>, escaped if it is a
    /// control character; returns the characters written, or 0 when it does not fit (nothing is written then).
    /// </summary>
    public static int Put(char c, Span<char> target, int at)
    {
        if (!IsControl(c))
        {
            if (at >= target.Length)
                return 0;
            target[at] = c;
            return 1;
        }
        if (at + 4 > target.Length)
            return 0;
        const string hex = "0123456789abcdef";
        target[at] = '\\';
        target[at + 1] = 'x';
        target[at + 2] = hex[(c >> 4) & 0xf];
        target[at + 3] = hex[c & 0xf];
        return 4;
    }

    private static int IndexOfControl(string text)
    {
        for (var i = 0; i < text.Length; i++)
            if (IsControl(text[i]))
                return i;
        return -1;
    }
}
