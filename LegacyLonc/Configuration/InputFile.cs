namespace LegacyLonc.Configuration;

/// <summary>Reads a configuration input file as lines, turning I/O failures into a <see cref="Diagnostic"/>.</summary>
internal static class InputFile
{
    /// <summary>The file's lines without line ends (LF or CRLF); null and a whole-file diagnostic when it cannot be read.</summary>
    public static string[]? ReadLines(string path, out Diagnostic? problem)
    {
        try
        {
            problem = null;
            return SplitLines(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = new Diagnostic(path, 0, "cannot read: " + Reason(e));
            return null;
        }
    }

    /// <summary>Splits on LF and drops one trailing CR per line, so files edited on Windows read the same.</summary>
    public static string[] SplitLines(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].EndsWith('\r'))
                lines[i] = lines[i][..^1];
        return lines;
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied or not a regular file",
        // UseSystemResourceKeys leaves .NET's own message a bare resource key: say it in our words.
        _ => Posix.SystemErrorText.Of(e),
    };
}
