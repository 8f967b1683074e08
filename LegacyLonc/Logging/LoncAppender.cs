using log4net.Appender;
using log4net.Core;
using log4net.Util;

namespace LegacyLonc.Logging;

/// <summary>
/// log4net appender <c>LegacyLonc.Logging.LoncAppender, lonc</c>: renders the layout and appends the line with
/// one <c>O_APPEND</c> write on a descriptor opened for that line (see <see cref="AppendOnlyFile"/>), so the
/// parent and every child can share <c>lonc.log</c> and loncron can rotate it by renaming.
/// </summary>
/// <remarks>
/// log4net's own <c>FileAppender</c> cannot do this job (measured with 8 processes × 2000 lines: MinimalLock
/// lost and tore lines, ExclusiveLock kept one process's lines, InterProcessLock kept writing to the renamed
/// file after rotation). A rendered line that does not end in <c>\n</c> gets one, so a layout without
/// <c>%newline</c> still writes whole lines.
/// </remarks>
public sealed class LoncAppender : AppenderSkeleton
{
    /// <summary>Where the built-in configuration writes, relative to <c>lonDaemons</c>.</summary>
    public const string DefaultFile = "logs/lonc.log";

    private string _file = DefaultFile;
    private string _daemons = ".";
    private TextWriter? _errors;
    private AppendOnlyFile? _target;

    /// <summary>
    /// The file (XML <c>&lt;file value="..."/&gt;</c>); a relative path is taken relative to <c>lonDaemons</c>
    /// (<c>PerlSetVar lonDaemons</c>), so the default <c>logs/lonc.log</c> is 1.53's file.
    /// </summary>
    public string File
    {
        get => _file;
        set
        {
            _file = value;
            _target = null;
        }
    }

    /// <summary>The file's full path once <see cref="Bind"/> told it <c>lonDaemons</c>.</summary>
    public string FullPath => System.IO.Path.Combine(_daemons, _file);

    protected override bool RequiresLayout => true;

    /// <summary>Checks what the XML set; a problem goes to log4net's internal log, which lonc reports.</summary>
    public override void ActivateOptions()
    {
        base.ActivateOptions();
        if (string.IsNullOrWhiteSpace(_file))
            LogLog.Error(typeof(LoncAppender), $"appender [{Name}] has an empty file");
        if (Layout is null)
            LogLog.Error(typeof(LoncAppender), $"appender [{Name}] has no layout");
    }

    /// <summary>Resolves <see cref="File"/> under <paramref name="lonDaemons"/>; failures are reported on <paramref name="errors"/>.</summary>
    internal void Bind(string lonDaemons, TextWriter errors)
    {
        _daemons = lonDaemons;
        _errors = errors;
        _target = null;
    }

    protected override void Append(LoggingEvent loggingEvent)
    {
        var line = RenderLoggingEvent(loggingEvent);
        if (!line.EndsWith('\n'))
            line += "\n";
        // AppenderSkeleton.DoAppend holds the appender's lock here, so the cached file needs no lock of its own.
        (_target ??= new AppendOnlyFile(FullPath, _errors)).Append(line);
    }
}
