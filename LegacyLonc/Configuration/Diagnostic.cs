namespace LegacyLonc.Configuration;

/// <summary>A problem found in an input file, reported as <c>file:line: message</c>.</summary>
public sealed record Diagnostic(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
