using System.Diagnostics.CodeAnalysis;
using System.Xml;
using LegacyLonc.Posix;
using log4net.Config;
using log4net.Repository.Hierarchy;
using log4net.Util;

namespace LegacyLonc.Logging;

/// <summary>
/// An administrator's <c>lonc.log4net.config</c>: read, checked and turned into a log4net repository, or the
/// list of everything wrong with it.
/// </summary>
/// <remarks>
/// <para>log4net's <c>XmlConfigurator</c> never fails: an unknown appender type, a property the appender does not
/// have, an <c>appender-ref</c> to nothing or an unknown level leave a repository that calls itself configured
/// and loses the lines in question, and an unknown pattern word is not even mentioned. So the file is
/// accepted only when log4net raised no warning or error while reading it, every conversion pattern uses
/// words its layout knows (<see cref="ConversionPattern"/>), and logger <c>lonc</c> reaches an appender.</para>
/// <para>Reading the file builds it for real: an appender that opens a file at start (log4net's
/// <c>FileAppender</c>) opens it here too. A rejected repository is shut down at once.</para>
/// </remarks>
public static class AdminLogConfig
{
    /// <summary>A repository to log through, or why there is none.</summary>
    public sealed record Result(Hierarchy? Repository, IReadOnlyList<string> Problems);

    // The XML names types by string; after trimming (the Native AOT publish) a type nothing refers to loses its
    // constructor and properties, and log4net would report "Could not create Appender". lonc's own types are
    // kept here: log4net constructs them and sets their properties; the members they inherit (Layout, Threshold,
    // AddFilter, AddConverter...) live in log4net, which LegacyLonc.csproj roots whole for its own appenders,
    // layouts and filters.
    private const DynamicallyAccessedMemberTypes Configurable =
        DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;

    /// <summary>Reads <paramref name="path"/>; <see cref="Result.Repository"/> is set only when there is no problem.</summary>
    [DynamicDependency(Configurable, typeof(LoncAppender))]
    [DynamicDependency(Configurable, typeof(LoncLayout))]
    [DynamicDependency(Configurable, typeof(PerlLocaltimeConverter))]
    [DynamicDependency(Configurable, typeof(ProcessIdConverter))]
    [DynamicDependency(Configurable, typeof(ConserverConverter))]
    [DynamicDependency(Configurable, typeof(StatusConverter))]
    public static Result Read(string path)
    {
        Log4NetMessages.Install();
        XmlDocument document;
        try
        {
            document = Load(path);
        }
        catch (XmlException e)
        {
            // The runtime's own text is a bare resource key (UseSystemResourceKeys); where it broke says more.
            return Rejected($"not well-formed XML: the parser gave up at line {e.LineNumber}, position {e.LinePosition}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Rejected($"cannot be read: {SystemErrorText.Of(e)}");
        }

        var root = document.DocumentElement;
        if (root is null || root.LocalName != "log4net")
            return Rejected($"the root element is <{root?.Name}>, not <log4net>");

        var hierarchy = new Hierarchy();
        var problems = new List<string>(PatternProblems(root));
        var rootLevel = RootLevelProblem(root, hierarchy);
        var messages = Log4NetMessages.Collect(() => XmlConfigurator.Configure(hierarchy, root));
        if (rootLevel is not null)
        {
            // log4net's own words for it name neither the element nor the value.
            problems.Add(rootLevel);
            messages.RemoveAll(m => m.StartsWith(NullRootLevel, StringComparison.Ordinal));
        }
        problems.AddRange(messages);
        if (problems.Count == 0 && !ReachesAnAppender(hierarchy))
            problems.Add($"no appender receives logger \"{LoncLogConfiguration.LoggerName}\" (give <root> or <logger name=\"{LoncLogConfiguration.LoggerName}\"> an <appender-ref>)");
        if (problems.Count == 0)
            return new Result(hierarchy, problems);
        Log4NetMessages.Collect(hierarchy.Shutdown);
        // Names and values from the file appear in the problems: one line each, whatever the file holds.
        return new Result(null, problems.Select(LogText.Escape).Distinct().ToList());
    }

    private const string NullRootLevel = "You have tried to set a null level to root";

    /// <summary>An unknown <c>&lt;level&gt;</c> in <c>&lt;root&gt;</c>, which log4net reports without naming it.</summary>
    private static string? RootLevelProblem(XmlElement configuration, Hierarchy hierarchy)
    {
        foreach (var rootLogger in configuration.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "root"))
            foreach (var level in rootLogger.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName is "level" or "priority"))
            {
                var value = level.GetAttribute("value");
                if (hierarchy.LevelMap[value] is null)
                    return $"<root>: unknown level \"{value}\" (log4net's levels include ALL, INFO, WARN, ERROR and OFF)";
            }
        return null;
    }

    private static Result Rejected(string problem) => new(null, new[] { LogText.Escape(problem) });

    private static XmlDocument Load(string path)
    {
        // No DTDs and no external entities: the file is a configuration, not a document to resolve.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(path, settings);
        var document = new XmlDocument { XmlResolver = null };
        document.Load(reader);
        return document;
    }

    /// <summary>Unknown words in the conversion pattern of every <c>&lt;layout&gt;</c>, checked against that layout's words.</summary>
    private static IEnumerable<string> PatternProblems(XmlElement root)
    {
        var loncWords = new LoncLayout().KnownWords();
        var stockWords = loncWords.Except(LoncLayout.LoncWords).ToList();
        foreach (var layout in root.GetElementsByTagName("layout").OfType<XmlElement>())
        {
            var type = LayoutType(layout.GetAttribute("type"));
            if (type is null || !typeof(log4net.Layout.PatternLayout).IsAssignableFrom(type))
                continue;  // not a pattern layout, or log4net reports the type itself
            var known = (typeof(LoncLayout).IsAssignableFrom(type) ? loncWords : stockWords)
                .Concat(Parameters(layout, "converter").Select(c => Parameters(c, "name").Select(Value).FirstOrDefault() ?? ""))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var pattern in Parameters(layout, "conversionPattern").Select(Value))
                foreach (var problem in ConversionPattern.Problems(pattern, known))
                    yield return $"{Owner(layout)}: {problem}";
        }
    }

    /// <summary>The layout's type as log4net will look it up; null when it cannot be found (log4net reports that).</summary>
    private static Type? LayoutType(string name)
    {
        if (name.Length == 0)
            return null;
        try
        {
            return SystemInfo.GetTypeFromString(typeof(AdminLogConfig), name, false, true);
        }
        catch (Exception e) when (e is ArgumentException or IOException or TypeLoadException)
        {
            return null;
        }
    }

    /// <summary>The child elements that set <paramref name="name"/>, as log4net matches them (case-insensitive, or <c>&lt;param name=…&gt;</c>).</summary>
    private static IEnumerable<XmlElement> Parameters(XmlElement parent, string name) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e =>
            string.Equals(e.LocalName == "param" && e.GetAttribute("name").Length > 0 ? e.GetAttribute("name") : e.LocalName,
                name, StringComparison.OrdinalIgnoreCase));

    private static string Value(XmlElement parameter) =>
        parameter.HasAttribute("value") ? parameter.GetAttribute("value") : parameter.InnerText;

    private static string Owner(XmlElement layout)
    {
        for (var node = layout.ParentNode; node is XmlElement element; node = element.ParentNode)
            if (element.LocalName == "appender")
                return $"appender \"{element.GetAttribute("name")}\"";
        return "layout";
    }

    private static bool ReachesAnAppender(Hierarchy hierarchy)
    {
        for (var logger = hierarchy.GetLogger(LoncLogConfiguration.LoggerName) as Logger; logger != null; logger = logger.Parent)
        {
            if (logger.Appenders.Count > 0)
                return true;
            if (!logger.Additivity)
                break;
        }
        return false;
    }
}
