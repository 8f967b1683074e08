namespace LegacyLonc.Configuration;

/// <summary>One <c>PerlSetVar name value</c> definition and where it was found.</summary>
public sealed record PerlSetVar(string Name, string Value, string File, int Line)
{
    public string Where => $"{File}:{Line}";
}

/// <summary>
/// The <c>PerlSetVar</c> lines of one Apache-style file (<c>loncapa_apache.conf</c>, <c>loncapa.conf</c>).
/// </summary>
/// <remarks>
/// Both files are also included by httpd, so they follow Apache's syntax: the directive keyword is
/// case-insensitive, <c>#</c> starts a comment only at the beginning of a line, and a value with blanks
/// is quoted (<c>"a b"</c> or <c>'a b'</c>, <c>\"</c> inside). Every other directive is ignored.
/// 1.53's read_conf split each line on whitespace and took the second and third word, so an indented
/// line or a quoted value came out wrong; here both read as Apache reads them. A line Apache would
/// reject (no value, more than one value, unterminated quote) is reported and not used.
/// </remarks>
public sealed class PerlSetVarFile
{
    public const string Keyword = "PerlSetVar";

    public string Path { get; }
    /// <summary>False when the file could not be read (the reason is in <see cref="Problems"/>).</summary>
    public bool WasRead { get; }
    /// <summary>The definitions in file order (a later one of the same name overrides an earlier one).</summary>
    public IReadOnlyList<PerlSetVar> Variables { get; }
    public IReadOnlyList<Diagnostic> Problems { get; }

    private PerlSetVarFile(string path, bool wasRead, IReadOnlyList<PerlSetVar> variables, IReadOnlyList<Diagnostic> problems)
    {
        Path = path;
        WasRead = wasRead;
        Variables = variables;
        Problems = problems;
    }

    /// <summary>Reads the file; an unreadable file yields no variables and one whole-file problem.</summary>
    public static PerlSetVarFile Read(string path)
    {
        var lines = InputFile.ReadLines(path, out var problem);
        return lines is null ? new PerlSetVarFile(path, false, Array.Empty<PerlSetVar>(), new[] { problem! }) : Parse(path, lines);
    }

    /// <summary>Parses file text; <paramref name="path"/> is used in diagnostics only.</summary>
    public static PerlSetVarFile Parse(string path, string text) => Parse(path, InputFile.SplitLines(text));

    private static PerlSetVarFile Parse(string path, string[] lines)
    {
        var variables = new List<PerlSetVar>();
        var problems = new List<Diagnostic>();
        for (var i = 0; i < lines.Length; i++)
        {
            var words = Words(lines[i], out var unterminated);
            // Comments ("#..." as first word) and other directives end up here too.
            if (words.Count == 0 || !words[0].Equals(Keyword, StringComparison.OrdinalIgnoreCase))
                continue;

            var lineNo = i + 1;
            var what = words.Count > 1 ? $"{Keyword} {words[1]}" : Keyword;
            string? error = null;
            if (unterminated)
                error = "unterminated quote";
            else if (words.Count == 1)
                error = "needs a name and a value";
            else if (words.Count == 2)
                error = "has no value";
            else if (words.Count > 3)
                error = $"has {words.Count - 2} values, expected one (quote a value that contains blanks)";

            if (error is null)
                variables.Add(new PerlSetVar(words[1], words[2], path, lineNo));
            else
                problems.Add(new Diagnostic(path, lineNo, $"{what}: {error}; line ignored"));
        }
        return new PerlSetVarFile(path, true, variables, problems);
    }

    /// <summary>Splits a line into Apache arguments: blank-separated words, quoted words kept whole.</summary>
    private static List<string> Words(string line, out bool unterminated)
    {
        var words = new List<string>();
        unterminated = false;
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
                i++;
            if (i == line.Length)
                return words;

            var quote = line[i];
            if (quote is '"' or '\'')
            {
                var word = new System.Text.StringBuilder();
                i++;
                while (i < line.Length && line[i] != quote)
                {
                    // As Apache's ap_getword_conf: a backslash escapes only the quote character.
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == quote)
                        i++;
                    word.Append(line[i++]);
                }
                words.Add(word.ToString());
                if (i == line.Length)
                {
                    unterminated = true;
                    return words;
                }
                i++;
            }
            else
            {
                var start = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i]))
                    i++;
                words.Add(line[start..i]);
            }
        }
    }
}
