namespace LegacyLonc.Logging;

/// <summary>
/// Finds the words of a log4net conversion pattern that log4net would not recognise. log4net itself says
/// nothing about them: it takes the longest word it knows that starts there (<c>%nosuch</c> becomes
/// <c>%n</c>, a newline, then the text <c>osuch</c>) or, when none does, drops the <c>%</c> and prints the
/// word as text; either way every line is split or mangled from then on.
/// </summary>
/// <remarks>
/// Reads the pattern the way log4net's parser does: <c>%%</c> is a literal <c>%</c>, a <c>%</c> at the very
/// end is literal, and a word may be preceded by <c>-</c>, a minimum width, <c>.</c> and a maximum width.
/// Stricter than log4net in one way: a word must not run on into letters (<c>%messagex</c> is reported even
/// though log4net would read <c>%message</c> then <c>x</c>), since that is almost always a typo.
/// </remarks>
public static class ConversionPattern
{
    /// <summary>One problem per unknown or missing word, in pattern order; empty when the pattern is sound.</summary>
    public static IReadOnlyList<string> Problems(string pattern, IReadOnlyCollection<string> known)
    {
        var problems = new List<string>();
        var i = 0;
        while (i < pattern.Length)
        {
            var percent = pattern.IndexOf('%', i);
            if (percent < 0 || percent == pattern.Length - 1)
                break;
            if (pattern[percent + 1] == '%')
            {
                i = percent + 2;
                continue;
            }
            var at = percent + 1;
            if (pattern[at] == '-')
                at++;
            while (at < pattern.Length && char.IsAsciiDigit(pattern[at]))
                at++;
            if (at < pattern.Length && pattern[at] == '.')
                at++;
            while (at < pattern.Length && char.IsAsciiDigit(pattern[at]))
                at++;
            var start = at;
            while (at < pattern.Length && char.IsAsciiLetter(pattern[at]))
                at++;
            var word = pattern[start..at];
            var written = pattern[percent..at];
            if (word.Length == 0)
                problems.Add($"\"{written}\" is not followed by a pattern word (write %% for a literal %)");
            else if (!known.Contains(word, StringComparer.Ordinal))
                problems.Add($"unknown pattern word \"{written}\"{AsLog4NetReadsIt(word, known)}");
            i = at;
        }
        return problems;
    }

    private static string AsLog4NetReadsIt(string word, IReadOnlyCollection<string> known)
    {
        var prefix = known.Where(k => word.StartsWith(k, StringComparison.Ordinal)).MaxBy(k => k.Length);
        return prefix is null
            ? $" (log4net would drop the % and print \"{word}\")"
            : $" (log4net would read it as %{prefix} followed by \"{word[prefix.Length..]}\")";
    }
}
