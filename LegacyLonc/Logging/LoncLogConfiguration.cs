using NLog;
using NLog.Config;
using NLog.Layouts;

namespace LegacyLonc.Logging;

/// <summary>
/// How lonc.log lines are routed through NLog: the built-in configuration (identical to
/// <c>etc/lonc.nlog.config</c>) or an administrator's NLog XML file.
/// </summary>
/// <remarks>
/// The built-in configuration is made in code because every child pays for its start-up and a hundred of
/// them start at once on two cores: reading the XML cost about 20 ms more CPU per process than building the
/// same configuration in code (JIT build; 3 ms with ReadyToRun), measured with
/// <c>lonc-testbed log-writer --lines 1 [--nlog-config etc/lonc.nlog.config]</c>. The XML is read only when
/// a path is given.
/// </remarks>
public static class LoncLogConfiguration
{
    /// <summary>The logger every lonc.log line is written to; XML rules select it by this name.</summary>
    public const string LoggerName = "lonc";

    /// <summary>The name of the built-in target.</summary>
    public const string TargetName = "lonclog";

    /// <summary>The config variable holding <c>lonDaemons</c>; LoncLog sets it, overriding any value in the XML.</summary>
    public const string DaemonsVariable = "lonDaemons";

    /// <summary>Event property carrying <c>$conserver</c> (<c>SHELL</c>, <c>PARENT</c> or the host id).</summary>
    public const string ConserverProperty = "conserver";

    /// <summary>Event property carrying <c>$status</c>.</summary>
    public const string StatusProperty = "status";

    /// <summary>1.53's <c>"$local ($$) [$conserver] [$status]: $message"</c>; the target adds the <c>\n</c>.</summary>
    public const string LineLayout =
        "${" + PerlLocaltimeLayoutRenderer.Name + "} (${processid}) [${event-properties:" + ConserverProperty +
        "}] [${event-properties:" + StatusProperty + "}]: ${message}";

    /// <summary>Where the built-in target writes.</summary>
    public const string FileNameLayout = "${var:" + DaemonsVariable + "}/logs/lonc.log";

    /// <summary>The file name of an administrator's NLog configuration, looked for in the configuration directory.</summary>
    public const string AdminConfigFileName = "lonc.nlog.config";

    /// <summary>
    /// <c>&lt;confDir&gt;/lonc.nlog.config</c> when it exists (lonc.log then follows it), else null (the built-in
    /// configuration, which writes the same lines).
    /// </summary>
    public static string? AdminConfigPath(string confDir)
    {
        var path = Path.Combine(confDir, AdminConfigFileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>A log factory that knows <c>${perl-localtime}</c> and the <c>lonc-append</c> target.</summary>
    public static LogFactory CreateFactory()
    {
        var factory = new LogFactory();
        factory.Setup().SetupExtensions(extensions => extensions
            .RegisterLayoutRenderer<PerlLocaltimeLayoutRenderer>(PerlLocaltimeLayoutRenderer.Name)
            .RegisterTarget<LegacyLineTarget>(LegacyLineTarget.TypeName));
        return factory;
    }

    /// <summary>The built-in configuration: every level of logger <c>lonc</c> to lonc.log in the 1.53 layout.</summary>
    public static LoggingConfiguration BuiltIn(LogFactory factory, string lonDaemons)
    {
        var config = new LoggingConfiguration(factory);
        config.Variables[DaemonsVariable] = Layout.FromLiteral(lonDaemons);
        var target = new LegacyLineTarget
        {
            Name = TargetName,
            FileName = Layout.FromString(FileNameLayout),
            Layout = Layout.FromString(LineLayout),
        };
        config.AddRule(LogLevel.Trace, LogLevel.Fatal, target, LoggerName);
        return config;
    }

    /// <summary>
    /// The configuration in NLog XML file <paramref name="path"/>, or null (reported on
    /// <paramref name="errors"/>) when it cannot be read or is not valid.
    /// </summary>
    public static LoggingConfiguration? FromXml(LogFactory factory, string path, string lonDaemons, TextWriter errors)
    {
        var throwing = factory.ThrowConfigExceptions;
        factory.ThrowConfigExceptions = true;
        try
        {
            var config = new XmlLoggingConfiguration(path, factory);
            config.Variables[DaemonsVariable] = Layout.FromLiteral(lonDaemons);
            return config;
        }
        catch (Exception e)
        {
            Report(errors, $"lonc: {path}: {Describe(e)}; using the built-in lonc.log configuration");
            return null;
        }
        finally
        {
            factory.ThrowConfigExceptions = throwing;
        }
    }

    private static string Describe(Exception e)
    {
        var text = e.Message;
        for (var inner = e.InnerException; inner != null; inner = inner.InnerException)
            text += " -> " + inner.Message;
        return text;
    }

    internal static void Report(TextWriter errors, string text)
    {
        try
        {
            errors.WriteLine(text);
            errors.Flush();
        }
        catch (Exception)
        {
            // stderr itself is gone; there is nobody left to tell.
        }
    }
}
