using System.Globalization;

namespace LegacyLonc.Parent;

/// <summary>
/// The parent's part of 1.53's <c>checkchildren()</c> on USR1: <c>&lt;lonDocRoot&gt;/lon-status/loncstatus.txt</c>
/// is rewritten with a header line, then every child appends its own line when it gets USR1.
/// </summary>
public static class StatusReport
{
    /// <summary><c>LONC status &lt;localtime&gt; - parent &lt;pid&gt;</c> and a newline.</summary>
    public static string Header(string localtime, int parentPid) =>
        string.Create(CultureInfo.InvariantCulture, $"LONC status {localtime} - parent {parentPid}\n");

    /// <summary>Truncates <paramref name="path"/> to the header (creating lon-status/ if needed).</summary>
    public static void Start(string path, string localtime, int parentPid)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        File.WriteAllText(path, Header(localtime, parentPid));
    }
}
