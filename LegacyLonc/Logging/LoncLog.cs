namespace LegacyLonc.Logging;

/// <summary>
/// lonc 1.53's <c>logthis</c>/<c>logperm</c>/<c>status</c>: lines in <c>logs/lonc.log</c> shaped
/// <c>&lt;localtime&gt; (&lt;pid&gt;) [&lt;conserver&gt;] [&lt;status&gt;]: &lt;message&gt;</c>, perm lines in
/// <c>logs/lonnet.perm.log</c>, and the status that also becomes the process title.
/// </summary>
public sealed class LoncLog
{
    /// <summary>Opens the logs under <c>&lt;lonDaemons&gt;/logs</c> for the process called <paramref name="conserver"/>.</summary>
    public static LoncLog Open(string lonDaemons, string conserver, string? nlogConfigPath = null) => throw new NotImplementedException();

    /// <summary><c>SHELL</c>, <c>PARENT</c> or the host id of a child.</summary>
    public string Conserver { get; set; } = "SHELL";

    /// <summary><c>$status</c>: <c>"&lt;localtime&gt;: &lt;what&gt;"</c>.</summary>
    public string CurrentStatus { get; private set; } = "";

    /// <summary><c>$lastlog</c>: <c>"&lt;localtime&gt;: &lt;message&gt;"</c> of the last line logged.</summary>
    public string LastLog { get; private set; } = "";

    /// <summary>Called with <c>"lonc: &lt;what&gt; &lt;localtime&gt;"</c> on every status change (the process title).</summary>
    public Action<string>? TitleSink { get; set; }

    /// <summary>logthis: one line in lonc.log.</summary>
    public void Log(string message) => throw new NotImplementedException();

    /// <summary>logthis with the <c>&lt;font color=...&gt;</c> markers of 1.53.</summary>
    public void Log(LogColor color, string message) => throw new NotImplementedException();

    /// <summary>logperm: <c>&lt;epoch&gt;:&lt;message&gt;:&lt;localtime&gt;</c> in lonnet.perm.log.</summary>
    public void Perm(string message) => throw new NotImplementedException();

    /// <summary>status: sets <see cref="CurrentStatus"/> and the process title.</summary>
    public void Status(string what) => throw new NotImplementedException();
}
