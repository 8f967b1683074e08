namespace LegacyLonc.Child;

/// <summary>
/// lonnet's name for a delayed message, <c>&lt;epoch&gt;.&lt;count&gt;.&lt;pid&gt;.&lt;cmd&gt;.&lt;host&gt;</c>
/// (<c>critical()</c>: <c>"$now.$dumpcount.$$.$middlename.$server"</c>): three decimal numbers, the command's first
/// 16 characters with every <c>\W</c> removed (so no dot, possibly empty), then the host id — everything after the
/// fourth dot, since host ids may themselves contain dots.
/// </summary>
/// <remarks>
/// 1.53 took every name matching <c>/\.$conserver$/</c>, so the child of <c>l1</c> also sent (and deleted) the
/// messages lonnet spooled for <c>msu.l1</c>.
/// </remarks>
public static class SpoolFileName
{
    private const int LeadingFields = 4;

    /// <summary>The host field of <paramref name="name"/>; null when the name is not shaped as lonnet names spool files.</summary>
    public static string? HostOf(string name)
    {
        var start = 0;
        for (var field = 0; field < LeadingFields; field++)
        {
            var dot = name.IndexOf('.', start);
            if (dot < 0 || !IsValidField(field, name.AsSpan(start, dot - start)))
                return null;
            start = dot + 1;
        }
        return start < name.Length ? name[start..] : null;
    }

    /// <summary>True when <paramref name="name"/> is a spool file for exactly <paramref name="host"/>.</summary>
    public static bool IsFor(string name, string host) => string.Equals(HostOf(name), host, StringComparison.Ordinal);

    private static bool IsValidField(int field, ReadOnlySpan<char> text) => field switch
    {
        < LeadingFields - 1 => !text.IsEmpty && IsAll(text, char.IsAsciiDigit),
        _ => IsAll(text, c => char.IsAsciiLetterOrDigit(c) || c == '_'),
    };

    private static bool IsAll(ReadOnlySpan<char> text, Func<char, bool> test)
    {
        foreach (var c in text)
        {
            if (!test(c))
                return false;
        }
        return true;
    }
}
