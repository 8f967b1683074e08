using NLog;
using NLog.Layouts;
using NLog.Targets;

namespace LegacyLonc.Logging;

/// <summary>
/// NLog target <c>lonc-append</c>: renders the layout and appends it plus <c>\n</c> to <c>FileName</c> with
/// one <c>O_APPEND</c> write (see <see cref="AppendOnlyFile"/>), so the parent and every child can share
/// <c>lonc.log</c> and loncron can rotate it by renaming.
/// </summary>
[Target(TypeName)]
public sealed class LegacyLineTarget : TargetWithLayout
{
    /// <summary>The <c>xsi:type</c> used in NLog XML.</summary>
    public const string TypeName = "lonc-append";

    private readonly Dictionary<string, AppendOnlyFile> _files = new(StringComparer.Ordinal);

    /// <summary>Path of the file; rendered per event, normally <c>${var:lonDaemons}/logs/lonc.log</c>.</summary>
    public Layout FileName { get; set; } = Layout.FromLiteral("lonc.log");

    /// <summary>Where a failing file is reported once (stderr unless set by LoncLog).</summary>
    internal TextWriter? Errors { get; set; }

    protected override void Write(LogEventInfo logEvent)
    {
        var path = RenderLogEvent(FileName, logEvent);
        var line = RenderLogEvent(Layout, logEvent) + "\n";
        FileFor(path).Append(line);
    }

    // One AppendOnlyFile per path keeps its report-once state. NLog already serialises Write per target;
    // the lock keeps the cache sound should a wrapper ever call in from two threads.
    private AppendOnlyFile FileFor(string path)
    {
        lock (_files)
        {
            if (!_files.TryGetValue(path, out var file))
                _files[path] = file = new AppendOnlyFile(path, Errors);
            return file;
        }
    }
}
