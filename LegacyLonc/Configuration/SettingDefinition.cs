namespace LegacyLonc.Configuration;

/// <summary>How the text of a setting becomes a value.</summary>
public enum SettingKind
{
    /// <summary>Any non-empty text.</summary>
    Text,
    /// <summary>A directory; a relative path is taken relative to the configuration directory.</summary>
    Directory,
    /// <summary>A whole number within <see cref="SettingDefinition.Min"/>..<see cref="SettingDefinition.Max"/>.</summary>
    Number,
    /// <summary><c>on</c> or <c>off</c> (any letter case, as Apache's own flags); kept in lower case.</summary>
    Switch,
}

/// <summary>
/// One <c>PerlSetVar</c> key lonc uses: its kind, its default (null = required) and, for numbers, the valid range.
/// </summary>
public sealed record SettingDefinition(string Name, SettingKind Kind, string? Default = null, int Min = 0, int Max = int.MaxValue, string? Alias = null)
{
    /// <summary>The name, with the alias if there is one (for messages).</summary>
    public string Names => Alias is null ? Name : $"{Name} (or {Alias})";
}
