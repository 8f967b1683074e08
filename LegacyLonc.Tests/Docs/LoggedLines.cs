using System.Text;
using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Docs;

/// <summary>
/// The WARNING and CRITICAL lines lonc's code can write to lonc.log, read from its source: the message of every
/// <c>Warning(…)</c>, <c>Critical(…)</c> and <c>ConnectionLost(…)</c> call, and every message given with a colour
/// that starts with <c>WARNING: </c> or <c>CRITICAL</c>. A message is returned as its fixed text pieces (what lies
/// between the interpolated values), so a document can be checked for the words an administrator greps for.
/// </summary>
public static class LoggedLines
{
    /// <summary>One logged message: where it is written, and its fixed pieces.</summary>
    public sealed record Message(string Where, IReadOnlyList<string> Pieces);

    private static readonly Regex Call = new(@"\.(?:Warning|Critical|ConnectionLost)\(\s*|LogColor\.\w+,\s*", RegexOptions.Compiled);
    private static readonly Regex Prefix = new(@"^(?:WARNING: |CRITICAL:? )");

    /// <summary>Every WARNING and CRITICAL message in LegacyLonc/**/*.cs.</summary>
    public static IReadOnlyList<Message> All()
    {
        var code = Repository.PathOf("LegacyLonc");
        var found = new List<Message>();
        foreach (var file in Directory.EnumerateFiles(code, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.Root, file);
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                continue;
            var source = File.ReadAllText(file);
            foreach (Match m in Call.Matches(source))
            {
                if (ReadMessage(source, m.Index + m.Length) is not { } text)
                    continue;
                var colourOnly = m.Value.StartsWith("LogColor", StringComparison.Ordinal);
                if (colourOnly && !Prefix.IsMatch(text))
                    continue;
                var line = source[..m.Index].Count(c => c == '\n') + 1;
                found.Add(new Message($"{relative}:{line}", Prefix.Replace(text, "").Split('\0')));
            }
        }
        return found;
    }

    /// <summary>
    /// The string literal (or literals joined with <c>+</c>) at <paramref name="at"/>, with every interpolated
    /// value replaced by <c>\0</c>; null when no literal starts there (a message held in a variable).
    /// </summary>
    private static string? ReadMessage(string source, int at)
    {
        var text = new StringBuilder();
        var i = at;
        var any = false;
        while (true)
        {
            var interpolated = false;
            var j = i;
            if (j < source.Length && source[j] == '$') { interpolated = true; j++; }
            if (j >= source.Length || source[j] != '"')
                return any ? text.ToString() : null;
            j++;
            while (source[j] != '"')
            {
                var c = source[j];
                if (c == '\\') { text.Append(source[j + 1] == 'n' ? '\n' : source[j + 1]); j += 2; }
                else if (interpolated && c == '{' && source[j + 1] == '{') { text.Append('{'); j += 2; }
                else if (interpolated && c == '}' && source[j + 1] == '}') { text.Append('}'); j += 2; }
                else if (interpolated && c == '{') { j = SkipHole(source, j); text.Append('\0'); }
                else { text.Append(c); j++; }
            }
            any = true;
            i = j + 1;
            var next = i;
            while (next < source.Length && char.IsWhiteSpace(source[next])) next++;
            if (next >= source.Length || source[next] != '+')
                return text.ToString();
            next++;
            while (next < source.Length && char.IsWhiteSpace(source[next])) next++;
            i = next;
        }
    }

    /// <summary>The index just past the interpolation hole that opens at <paramref name="open"/> (nested braces and strings allowed).</summary>
    private static int SkipHole(string source, int open)
    {
        var depth = 0;
        for (var j = open; ; j++)
        {
            switch (source[j])
            {
                case '{': depth++; break;
                case '}' when --depth == 0: return j + 1;
                case '"':
                    for (j++; source[j] != '"'; j++)
                        if (source[j] == '\\') j++;
                    break;
            }
        }
    }
}
