using System.Text.RegularExpressions;

namespace LegacyLonc.Child;

/// <summary>
/// Why a child failed, in the words it logged: its last log line without the time stamp, the <c>&lt;font&gt;</c>
/// markers and the severity word, e.g. <c>Couldn't connect to h5 (221 secs): Connection refused</c>. Pure.
/// </summary>
public static partial class FailureReason
{
    /// <summary>The reason in <paramref name="lastLog"/> (<c>&lt;localtime&gt;: &lt;message&gt;</c>, as <c>LoncLog.LastLog</c>).</summary>
    public static string Of(string lastLog) => Prefix().Replace(FontMarker().Replace(lastLog, ""), "").Trim();

    // "Fri Dec  4 15:31:21 2026: " and then "WARNING: ", "CRITICAL: " or "INFO " / "INFO: ".
    [GeneratedRegex(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: (?:(?:WARNING|CRITICAL|INFO):? )?")]
    private static partial Regex Prefix();

    [GeneratedRegex("</?font[^>]*>")]
    private static partial Regex FontMarker();
}
