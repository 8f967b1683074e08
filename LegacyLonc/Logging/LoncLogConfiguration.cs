using log4net.Core;
using log4net.Repository.Hierarchy;

namespace LegacyLonc.Logging;

/// <summary>
/// How lonc.log lines are routed through log4net: the built-in configuration (identical to
/// <c>etc/lonc.log4net.config</c>) or an administrator's <c>lonc.log4net.config</c>.
/// </summary>
/// <remarks>
/// <para>Every child pays for this set-up and a hundred of them start at once on two cores, so it takes
/// log4net's cheap road: a repository of its own (<c>new Hierarchy()</c>, not <c>LogManager</c>, which costs
/// ~10 ms and allows one repository of a name per process), the built-in configuration made in code (no XML
/// unless an administrator's file is there), and events that carry their own properties, so log4net's global
/// context — whose set-up resolves the host name — is never touched.</para>
/// <para>A file with any problem is reported in one line and the built-in configuration is used:
/// lonc.log keeps every line whatever the file says.</para>
/// </remarks>
public static class LoncLogConfiguration
{
    /// <summary>The logger every lonc.log line is written to; XML can select it by this name.</summary>
    public const string LoggerName = "lonc";

    /// <summary>The name of the built-in appender.</summary>
    public const string AppenderName = "lonclog";

    /// <summary>The file name of an administrator's log4net configuration, looked for in the configuration directory.</summary>
    public const string AdminConfigFileName = "lonc.log4net.config";

    /// <summary>
    /// <c>&lt;confDir&gt;/lonc.log4net.config</c> when it exists (lonc.log then follows it), else null (the
    /// built-in configuration, which writes the same lines).
    /// </summary>
    public static string? AdminConfigPath(string confDir)
    {
        var path = Path.Combine(confDir, AdminConfigFileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The problems of the log4net configuration file at <paramref name="path"/>; empty when lonc would follow it.</summary>
    public static IReadOnlyList<string> Check(string path)
    {
        var result = AdminLogConfig.Read(path);
        result.Repository?.Shutdown();
        return result.Problems;
    }

    /// <summary>
    /// The repository lonc.log goes through: the file at <paramref name="configPath"/> when given and sound,
    /// else the built-in configuration; then <paramref name="configProblem"/> says in one line why the file
    /// was not followed (the caller decides who reports it: the lonc parent does, once, its children do not).
    /// </summary>
    public static Hierarchy Create(string lonDaemons, string? configPath, TextWriter errors, out string? configProblem)
    {
        Hierarchy? repository = null;
        configProblem = null;
        if (!string.IsNullOrEmpty(configPath))
        {
            var result = AdminLogConfig.Read(configPath);
            repository = result.Repository;
            if (repository is null)
                configProblem = $"{configPath}: {string.Join("; ", result.Problems)}; using the built-in lonc.log configuration";
        }
        repository ??= BuiltIn();
        foreach (var appender in repository.GetAppenders().OfType<LoncAppender>())
            appender.Bind(lonDaemons, errors);
        return repository;
    }

    /// <summary>The built-in configuration: every level, from the root logger, to <c>logs/lonc.log</c> in 1.53's line.</summary>
    public static Hierarchy BuiltIn()
    {
        Log4NetMessages.Install();
        var repository = new Hierarchy();
        var appender = new LoncAppender { Name = AppenderName, File = LoncAppender.DefaultFile, Layout = new LoncLayout() };
        appender.ActivateOptions();
        repository.Root.Level = Level.All;
        repository.Root.AddAppender(appender);
        repository.Configured = true;
        return repository;
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
