using log4net.Core;
using log4net.Repository.Hierarchy;
using log4net.Util;
using LegacyLonc.Posix;

namespace LegacyLonc.Logging;

/// <summary>
/// lonc 1.53's <c>logthis</c>/<c>logperm</c>/<c>status</c>: lines in <c>logs/lonc.log</c> shaped
/// <c>&lt;localtime&gt; (&lt;pid&gt;) [&lt;conserver&gt;] [&lt;status&gt;]: &lt;message&gt;</c>, perm lines in
/// <c>logs/lonnet.perm.log</c>, and the status that also becomes the process title.
/// </summary>
/// <remarks>
/// <para>lonc.log lines go through log4net (logger <c>lonc</c>, appender <see cref="LoncAppender"/>, layout
/// <see cref="LoncLayout"/>), so an administrator can filter or add appenders in <c>lonc.log4net.config</c>;
/// perm lines go straight to an <see cref="AppendOnlyFile"/> because loncron parses them with
/// <c>split /:/</c> and the file is never rotated.</para>
/// <para>Each event is built from <see cref="LoggingEventData"/>: its time is the whole second also put into
/// <see cref="LastLog"/>, and <c>$conserver</c> and <c>$status</c> travel as its own properties.</para>
/// <para>Safe from any thread (the signal handlers run on pool threads); nothing here throws on a failed write.</para>
/// </remarks>
public sealed class LoncLog
{
    /// <summary>Receives the process title; a span, so setting it per request allocates nothing.</summary>
    public delegate void TitleWriter(ReadOnlySpan<char> title);

    private readonly object _gate = new();
    private readonly Hierarchy _repository;
    private readonly ILogger _logger;
    private readonly AppendOnlyFile _perm;
    private readonly TextWriter _errors;
    private int _titleFailed;
    private readonly char[] _what = new char[MaxStatusChars];
    private readonly char[] _title = new char[MaxStatusChars + 64];
    private int _whatLength;
    private long _statusEpoch;
    private string? _statusText;
    private long _localEpoch;
    private string? _local;
    private int _logFailed;

    private LoncLog(Hierarchy repository, AppendOnlyFile perm, TextWriter errors, string conserver)
    {
        _repository = repository;
        _logger = repository.GetLogger(LoncLogConfiguration.LoggerName);
        _perm = perm;
        _errors = errors;
        Conserver = conserver;
    }

    /// <summary>Opens the logs under <c>&lt;lonDaemons&gt;/logs</c> for the process called <paramref name="conserver"/>.</summary>
    /// <remarks>
    /// Without <paramref name="configPath"/> the built-in log4net configuration is used (the same as
    /// <c>etc/lonc.log4net.config</c>); a file with any problem is not followed, the built-in configuration is
    /// used instead and <see cref="ConfigProblem"/> says why; with <paramref name="reportConfigProblem"/> it is
    /// also reported on stderr in one line. Nothing is opened yet: every line opens its file anew.
    /// </remarks>
    public static LoncLog Open(string lonDaemons, string conserver, string? configPath = null, bool reportConfigProblem = true) =>
        Open(lonDaemons, conserver, configPath, Console.Error, reportConfigProblem);

    /// <summary><see cref="Open(string,string,string?,bool)"/> reporting problems on <paramref name="errors"/>.</summary>
    internal static LoncLog Open(string lonDaemons, string conserver, string? configPath, TextWriter errors, bool reportConfigProblem = true)
    {
        var repository = LoncLogConfiguration.Create(lonDaemons, configPath, errors, out var configProblem);
        if (reportConfigProblem && configProblem is not null)
            LoncLogConfiguration.Report(errors, $"lonc: {configProblem}");
        var perm = new AppendOnlyFile(Path.Combine(lonDaemons, "logs", "lonnet.perm.log"), errors);
        return new LoncLog(repository, perm, errors, conserver) { ConfigProblem = configProblem };
    }

    /// <summary>Why the administrator's <c>lonc.log4net.config</c> is not followed (the built-in configuration is), or null.</summary>
    public string? ConfigProblem { get; private init; }

    /// <summary><c>SHELL</c>, <c>PARENT</c> or the host id of a child.</summary>
    public string Conserver { get; set; } = "SHELL";

    /// <summary><c>$status</c>: <c>"&lt;localtime&gt;: &lt;what&gt;"</c> ('' before the first <see cref="Status(string)"/>).</summary>
    public string CurrentStatus
    {
        get
        {
            lock (_gate)
            {
                if (_statusEpoch == 0)
                    return "";
                return _statusText ??= LocaltimeCached(_statusEpoch) + ": " + new string(_what, 0, _whatLength);
            }
        }
    }

    /// <summary><c>$lastlog</c>: <c>"&lt;localtime&gt;: &lt;message&gt;"</c> of the last line logged.</summary>
    public string LastLog { get; private set; } = "";

    /// <summary>Called with <c>"lonc: &lt;what&gt; &lt;localtime&gt;"</c> on every status change (the process title).</summary>
    public TitleWriter? TitleSink { get; set; }

    /// <summary>Perl's <c>time</c>; tests pin it to compare logs byte for byte.</summary>
    internal Func<long> Clock { get; set; } = PerlTime.Now;

    /// <summary>logthis: one plain line in lonc.log.</summary>
    public void Log(string message) => Log(LogColor.None, message);

    /// <summary>1.53's blue <c>WARNING: …</c> line: something failed, lonc goes on (or retries).</summary>
    public void Warning(string message) => Log(LogColor.Blue, "WARNING: " + message);

    /// <summary>1.53's red <c>CRITICAL: …</c> line: a request or a child was lost, or lonc stops.</summary>
    public void Critical(string message) => Log(LogColor.Red, "CRITICAL: " + message);

    /// <summary>loncnew's green <c>INFO: …</c> line.</summary>
    public void Info(string message) => Log(LogColor.Green, "INFO: " + message);

    /// <summary>1.53's green lines that carry no prefix of their own (<c> Connection to h open </c>, <c>h online</c>, <c>INFO Connected to h, initing</c>), verbatim.</summary>
    public void Success(string message) => Log(LogColor.Green, message);

    /// <summary>1.53's yellow lines of the parent (a restart, the attempts left), verbatim.</summary>
    public void Attention(string message) => Log(LogColor.Yellow, message);

    /// <summary>1.53's one red line without the colon, <c>CRITICAL lond connection lost</c>, verbatim (an administrator's grep may look for it).</summary>
    public void ConnectionLost(string message) => Log(LogColor.Red, message);

    /// <summary>logthis with the <c>&lt;font color=...&gt;</c> markers of 1.53; callers use the method of their line's kind.</summary>
    /// <remarks>The markers are part of the message, as in Perl, so they also appear in <see cref="LastLog"/>.</remarks>
    internal void Log(LogColor color, string message)
    {
        // Bytes from peers (init replies, garbage, requests) reach messages: no control character may reach the file.
        var text = LogText.Escape(Marked(color, message));
        lock (_gate)
        {
            var now = Clock();
            LastLog = PerlTime.Localtime(now) + ": " + text;
            var properties = new PropertiesDictionary();
            properties[LoncLayout.ConserverProperty] = Conserver;
            // The status carries requests and spool file names: as text, never as markup in loncron's HTML view.
            properties[LoncLayout.StatusProperty] = _statusEpoch == 0
                ? ""
                : LogText.EscapeMarkup(_statusText ??= LocaltimeCached(_statusEpoch) + ": " + new string(_what, 0, _whatLength));
            var data = new LoggingEventData
            {
                LoggerName = LoncLogConfiguration.LoggerName,
                Level = LevelOf(color),
                Message = text,
                // The same second as $lastlog; %localtime renders it.
                TimeStampUtc = DateTimeOffset.FromUnixTimeSeconds(now).UtcDateTime,
                Properties = properties,
            };
            try
            {
                // FixFlags.None: what the data leaves out (thread, user…) is still found if a layout asks for it.
                _logger.Log(new LoggingEvent(typeof(LoncLog), _repository, data, FixFlags.None));
            }
            catch (Exception e)
            {
                // log4net catches appender failures itself; this only guards against a broken configuration.
                if (Interlocked.Exchange(ref _logFailed, 1) == 0)
                    LoncLogConfiguration.Report(_errors, $"lonc: logging failed: {SystemErrorText.Of(e)}; lines may be lost");
            }
        }
    }

    /// <summary>logperm: <c>&lt;epoch&gt;:&lt;message&gt;:&lt;localtime&gt;</c> in lonnet.perm.log.</summary>
    /// <remarks>
    /// The message holds a spooled command, i.e. whatever its file held: escaped as peer text is in lonc.log
    /// (control characters, markup), since loncron lists these lines in its HTML page.
    /// </remarks>
    public void Perm(string message)
    {
        var now = Clock();
        _perm.Append($"{now}:{LogText.Escape(LogText.EscapeMarkup(message))}:{PerlTime.Localtime(now)}\n");
    }

    /// <summary>status: sets <see cref="CurrentStatus"/> and the process title.</summary>
    public void Status(string what) => Status(what, ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// status with a byte detail appended (a request line, read as Latin-1 like Perl's bytes), cut to
    /// <see cref="MaxStatusChars"/>. 1.53 set the status after every request, so this runs on the hot
    /// path: it builds the title in a reused buffer, formats the time once per second, and materialises
    /// <see cref="CurrentStatus"/> only when a log line or a status report asks for it.
    /// </summary>
    public void Status(string what, ReadOnlySpan<byte> detail)
    {
        // Peer bytes (a request line, a spool file name) may hold control characters: escaped here, once,
        // so neither the title, the log's [status] field nor loncstatus.txt ever carries them.
        Span<char> text = stackalloc char[MaxStatusChars];
        var len = 0;
        foreach (var c in what)
        {
            var n = LogText.Put(c, text, len);
            if (n == 0)
                break;
            len += n;
        }
        for (var i = 0; i < detail.Length; i++)
        {
            var n = LogText.Put((char)detail[i], text, len);
            if (n == 0)
                break;
            len += n;
        }
        lock (_gate)
        {
            var now = Clock();
            if (now == _statusEpoch && len == _whatLength && text[..len].SequenceEqual(_what.AsSpan(0, len)))
                return;
            text[..len].CopyTo(_what);
            _whatLength = len;
            _statusEpoch = now;
            _statusText = null;
            WriteTitle(now);
        }
    }

    /// <summary>Longest status text kept (a request line in the status is cut here).</summary>
    public const int MaxStatusChars = 200;

    private void WriteTitle(long now)
    {
        if (TitleSink is null)
            return;
        // "lonc: <what> <localtime>", as Perl's $0.
        var local = LocaltimeCached(now);
        var title = _title.AsSpan();
        "lonc: ".CopyTo(title);
        var n = 6;
        _what.AsSpan(0, _whatLength).CopyTo(title[n..]);
        n += _whatLength;
        title[n++] = ' ';
        local.CopyTo(title[n..]);
        n += local.Length;
        try
        {
            TitleSink(title[..n]);
        }
        catch (Exception e)
        {
            // A title that cannot be set must not stop the daemon; Perl's $0 assignment never failed.
            if (Interlocked.Exchange(ref _titleFailed, 1) == 0)
                LoncLogConfiguration.Report(_errors, $"lonc: cannot set the process title: {SystemErrorText.Of(e)}");
        }
    }

    private string LocaltimeCached(long epoch)
    {
        if (epoch != _localEpoch || _local is null)
        {
            _local = PerlTime.Localtime(epoch);
            _localEpoch = epoch;
        }
        return _local;
    }

    /// <summary>Writes out anything an administrator's buffering appenders still hold (call before exec).</summary>
    public void Flush()
    {
        try
        {
            _repository.Flush(5000);
        }
        catch (Exception e)
        {
            LoncLogConfiguration.Report(_errors, $"lonc: flushing the log failed: {SystemErrorText.Of(e)}");
        }
    }

    /// <summary>The log4net level an administrator filters on: the colour 1.53 used for that kind of line.</summary>
    internal static Level LevelOf(LogColor color) => color switch
    {
        LogColor.Red => Level.Error,
        LogColor.Blue => Level.Warn,
        _ => Level.Info,
    };

    /// <summary>The message as 1.53 wrote it: <c>&lt;font color=red&gt;CRITICAL: ...&lt;/font&gt;</c>.</summary>
    internal static string Marked(LogColor color, string message) => color switch
    {
        LogColor.None => message,
        _ => $"<font color={color.ToString().ToLowerInvariant()}>{message}</font>",
    };
}
