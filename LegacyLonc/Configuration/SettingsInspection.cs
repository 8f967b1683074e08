namespace LegacyLonc.Configuration;

/// <summary>The value a setting ended up with and where it came from; <see cref="Source"/> null means the default.</summary>
public sealed record EffectiveSetting(string Name, string Value, PerlSetVar? Source);

/// <summary>Everything <see cref="SettingsLoader.Inspect"/> found: effective values with their sources, and all problems.</summary>
/// <param name="ConfDir">The configuration directory as an absolute path.</param>
/// <param name="Files">The files looked at, in reading order, as named in diagnostics.</param>
/// <param name="Values">Each setting that has a valid value, in <see cref="SettingsLoader.Definitions"/> order.</param>
/// <param name="Problems">Every problem, in file and line order.</param>
/// <param name="Settings">The result, or null when there is any problem.</param>
public sealed record SettingsInspection(
    string ConfDir,
    IReadOnlyList<string> Files,
    IReadOnlyList<EffectiveSetting> Values,
    IReadOnlyList<Diagnostic> Problems,
    LoncSettings? Settings)
{
    /// <summary>The effective value of <paramref name="name"/>, if it is set and valid.</summary>
    public string? Value(string name) => Values.FirstOrDefault(v => v.Name == name)?.Value;
}
