using LegacyLonc.Posix;
using log4net.Util;

namespace LegacyLonc.Logging;

/// <summary>
/// log4net's internal messages (<c>log4net:ERROR …</c>), kept off stderr as log4net writes them — a message plus
/// a stack trace per problem, in every child — and turned into lonc's own one-line reports instead.
/// </summary>
/// <remarks>
/// While a configuration is read, warnings and errors are collected for the caller, which reports them
/// as one line. At any other time an error (an administrator's appender that cannot write, say; log4net
/// reports each appender's first failure only) becomes one line on stderr, so a line lost there is never
/// lost silently.
/// </remarks>
internal static class Log4NetMessages
{
    private const string DebugPrefix = "log4net: ";

    private static readonly string GenericLogException = new log4net.Core.LogException().Message;

    // Configurations are read one at a time: log4net announces its messages through one static event.
    private static readonly object ConfigurationGate = new();

    [ThreadStatic]
    private static List<string>? t_collected;

    static Log4NetMessages()
    {
        LogLog.EmitInternalMessages = false;
        LogLog.LogReceived += OnMessage;
    }

    /// <summary>Makes sure log4net's own output is replaced by lonc's reports (call before using log4net).</summary>
    public static void Install()
    {
        // The static constructor does the work, once per process.
    }

    /// <summary>Runs <paramref name="configure"/> and returns every warning and error log4net raised meanwhile.</summary>
    public static List<string> Collect(Action configure)
    {
        lock (ConfigurationGate)
        {
            var collected = new List<string>();
            t_collected = collected;
            try
            {
                configure();
            }
            finally
            {
                t_collected = null;
            }
            return collected;
        }
    }

    private static void OnMessage(object? source, LogReceivedEventArgs e)
    {
        var message = e.LogLog;
        if (message.Prefix == DebugPrefix)
            return;
        var text = Describe(message);
        if (t_collected is { } collected)
        {
            collected.Add(text);
            return;
        }
        if (message.Prefix.Contains("ERROR", StringComparison.Ordinal))
            LoncLogConfiguration.Report(Console.Error, $"lonc: log4net: {text}");
    }

    /// <summary>The message and the innermost reason, on one line.</summary>
    private static string Describe(LogLog message)
    {
        var text = message.Message.Trim();
        const string follows = " Reported error follows.", configurator = "XmlHierarchyConfigurator: ";
        if (text.EndsWith(follows, StringComparison.Ordinal))
            text = text[..^follows.Length];
        if (text.StartsWith(configurator, StringComparison.Ordinal))
            text = text[configurator.Length..];
        var inner = message.Exception;
        while (inner?.InnerException is not null)
            inner = inner.InnerException;
        // A LogException raised without a message of its own only says "Error in the application."
        if (inner is not null && !(inner is log4net.Core.LogException && inner.Message == GenericLogException))
            text = $"{text.TrimEnd('.')}: {SystemErrorText.Of(inner)}";
        return LogText.Escape(text.TrimEnd('.'));
    }
}
