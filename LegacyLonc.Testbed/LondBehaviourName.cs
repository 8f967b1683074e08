namespace LegacyLonc.Testbed;

/// <summary>Command-line names of <see cref="LondBehaviour"/>: the enum names or their kebab-case forms, any case.</summary>
public static class LondBehaviourName
{
    /// <summary>The behaviour called <paramref name="text"/> (<c>drop-after-n</c>, <c>DropAfterN</c>, …); false when none is.</summary>
    public static bool TryParse(string text, out LondBehaviour behaviour)
    {
        var folded = text.Replace("-", "").Replace("_", "");
        foreach (var b in Enum.GetValues<LondBehaviour>())
        {
            if (string.Equals(b.ToString(), folded, StringComparison.OrdinalIgnoreCase))
            {
                behaviour = b;
                return true;
            }
        }
        behaviour = default;
        return false;
    }
}
