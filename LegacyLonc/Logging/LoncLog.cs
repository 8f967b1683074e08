using NLog;
using NLog.Config;

namespace LegacyLonc.Logging;

/// <summary>
/// lonc 1.53's <c>logthis</c>/<c>logperm</c>/<c>status</c>: lines in <c>logs/lonc.log</c> shaped
/// <c>&lt;localtime&gt; (&lt;pid&gt;) [&lt;conserver&gt;] [&lt;status&gt;]: &lt;message&gt;</c>, perm lines in
/// <c>logs/lonnet.perm.log</c>, and the status that also becomes the process title.
/// </summary>
/// <remarks>
/// <para>lonc.log lines go through NLog (logger <c>lonc</c>, target <see cref="LegacyLineTarget"/>), so an
/// administrator can filter or add targets in NLog XML; perm lines go straight to an
/// <see cref="AppendOnlyFile"/> because loncron parses them with <c>split /:/</c> and the file is never rotated.</para>
/// <para>The pid in a line is NLog's <c>${processid}</c>, i.e. <c>getpid()</c> of the writer: lonc never forks
/// without exec, so the runtime's cached pid is always the real one.</para>
/// <para>Safe from any thread (the signal handlers run on pool threads); nothing here throws on a failed write.</para>
/// </remarks>
public sealed class LoncLog
{
    private readonly object _gate = new();
    private readonly LogFactory _factory;
    private readonly Logger _logger;
    private readonly AppendOnlyFile _perm;
    private readonly TextWriter _errors;
    private int _titleFailed;
    private int _logFailed;

    private LoncLog(LogFactory factory, AppendOnlyFile perm, TextWriter errors, string conserver)
    {
        _factory = factory;
        _logger = factory.GetLogger(LoncLogConfiguration.LoggerName);
        _perm = perm;
        _errors = errors;
        Conserver = conserver;
    }

    /// <summary>Opens the logs under <c>&lt;lonDaemons&gt;/logs</c> for the process called <paramref name="conserver"/>.</summary>
    /// <remarks>
    /// Without <paramref name="nlogConfigPath"/> the built-in NLog configuration is used (the same as
    /// <c>etc/lonc.nlog.config</c>); an unreadable or invalid XML file is reported on stderr and the
    /// built-in configuration is used instead. Nothing is opened yet: every line opens its file anew.
    /// </remarks>
    public static LoncLog Open(string lonDaemons, string conserver, string? nlogConfigPath = null) =>
        Open(lonDaemons, conserver, nlogConfigPath, Console.Error);

    /// <summary><see cref="Open(string,string,string?)"/> reporting problems on <paramref name="errors"/>.</summary>
    internal static LoncLog Open(string lonDaemons, string conserver, string? nlogConfigPath, TextWriter errors)
    {
        var factory = LoncLogConfiguration.CreateFactory();
        LoggingConfiguration? config = null;
        if (!string.IsNullOrEmpty(nlogConfigPath))
            config = LoncLogConfiguration.FromXml(factory, nlogConfigPath, lonDaemons, errors);
        config ??= LoncLogConfiguration.BuiltIn(factory, lonDaemons);
        foreach (var target in config.AllTargets.OfType<LegacyLineTarget>())
            target.Errors = errors;
        factory.Configuration = config;

        var perm = new AppendOnlyFile(Path.Combine(lonDaemons, "logs", "lonnet.perm.log"), errors);
        return new LoncLog(factory, perm, errors, conserver);
    }

    /// <summary><c>SHELL</c>, <c>PARENT</c> or the host id of a child.</summary>
    public string Conserver { get; set; } = "SHELL";

    /// <summary><c>$status</c>: <c>"&lt;localtime&gt;: &lt;what&gt;"</c>.</summary>
    public string CurrentStatus { get; private set; } = "";

    /// <summary><c>$lastlog</c>: <c>"&lt;localtime&gt;: &lt;message&gt;"</c> of the last line logged.</summary>
    public string LastLog { get; private set; } = "";

    /// <summary>Called with <c>"lonc: &lt;what&gt; &lt;localtime&gt;"</c> on every status change (the process title).</summary>
    public Action<string>? TitleSink { get; set; }

    /// <summary>Perl's <c>time</c>; tests pin it to compare logs byte for byte.</summary>
    internal Func<long> Clock { get; set; } = PerlTime.Now;

    /// <summary>logthis: one line in lonc.log.</summary>
    public void Log(string message) => Log(LogColor.None, message);

    /// <summary>logthis with the <c>&lt;font color=...&gt;</c> markers of 1.53.</summary>
    /// <remarks>The markers are part of the message, as in Perl, so they also appear in <see cref="LastLog"/>.</remarks>
    public void Log(LogColor color, string message)
    {
        var text = Marked(color, message);
        lock (_gate)
        {
            var now = Clock();
            LastLog = PerlTime.Localtime(now) + ": " + text;
            var logEvent = new LogEventInfo(LevelOf(color), LoncLogConfiguration.LoggerName, text)
            {
                // The same second as $lastlog; ${perl-localtime} renders it.
                TimeStamp = DateTimeOffset.FromUnixTimeSeconds(now).UtcDateTime,
            };
            logEvent.Properties[LoncLogConfiguration.ConserverProperty] = Conserver;
            logEvent.Properties[LoncLogConfiguration.StatusProperty] = CurrentStatus;
            try
            {
                _logger.Log(logEvent);
            }
            catch (Exception e)
            {
                // NLog swallows target failures itself; this only guards against a broken configuration.
                if (Interlocked.Exchange(ref _logFailed, 1) == 0)
                    LoncLogConfiguration.Report(_errors, $"lonc: logging failed: {e.Message}; lines may be lost");
            }
        }
    }

    /// <summary>logperm: <c>&lt;epoch&gt;:&lt;message&gt;:&lt;localtime&gt;</c> in lonnet.perm.log.</summary>
    public void Perm(string message)
    {
        var now = Clock();
        _perm.Append($"{now}:{message}:{PerlTime.Localtime(now)}\n");
    }

    /// <summary>status: sets <see cref="CurrentStatus"/> and the process title.</summary>
    public void Status(string what)
    {
        lock (_gate)
        {
            var local = PerlTime.Localtime(Clock());
            CurrentStatus = local + ": " + what;
            try
            {
                TitleSink?.Invoke("lonc: " + what + " " + local);
            }
            catch (Exception e)
            {
                // A title that cannot be set must not stop the daemon; Perl's $0 assignment never failed.
                if (Interlocked.Exchange(ref _titleFailed, 1) == 0)
                    LoncLogConfiguration.Report(_errors, $"lonc: cannot set the process title: {e.Message}");
            }
        }
    }

    /// <summary>Writes out anything an administrator's asynchronous NLog targets still hold (call before exec).</summary>
    public void Flush()
    {
        try
        {
            _factory.Flush(TimeSpan.FromSeconds(5));
        }
        catch (Exception e)
        {
            LoncLogConfiguration.Report(_errors, $"lonc: flushing the log failed: {e.Message}");
        }
    }

    /// <summary>The NLog level an administrator filters on: the colour 1.53 used for that kind of line.</summary>
    internal static LogLevel LevelOf(LogColor color) => color switch
    {
        LogColor.Red => LogLevel.Error,
        LogColor.Blue => LogLevel.Warn,
        _ => LogLevel.Info,
    };

    /// <summary>The message as 1.53 wrote it: <c>&lt;font color=red&gt;CRITICAL: ...&lt;/font&gt;</c>.</summary>
    internal static string Marked(LogColor color, string message) => color switch
    {
        LogColor.None => message,
        _ => $"<font color={color.ToString().ToLowerInvariant()}>{message}</font>",
    };
}
