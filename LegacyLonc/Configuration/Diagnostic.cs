namespace LegacyLonc.Configuration;

/// <summary>
/// A problem found in an input file, reported as <c>file:line: message</c>; <see cref="Line"/> 0 means
/// the file as a whole (unreadable, or a setting it lacks) and prints as <c>file: message</c>.
/// </summary>
public sealed record Diagnostic(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
