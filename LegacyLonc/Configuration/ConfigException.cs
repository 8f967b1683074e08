namespace LegacyLonc.Configuration;

/// <summary>A configuration problem that stops lonc from starting; the message names the key/line and the files read.</summary>
public sealed class ConfigException(string message) : Exception(message)
{
    /// <summary>Every problem found, one per entry; the message lists them one per line.</summary>
    public IReadOnlyList<Diagnostic> Problems { get; init; } = Array.Empty<Diagnostic>();

    public ConfigException(IReadOnlyList<Diagnostic> problems)
        : this(string.Join("\n", problems))
    {
        Problems = problems;
    }
}
