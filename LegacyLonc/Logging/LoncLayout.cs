using log4net.Layout;
using log4net.Util;

namespace LegacyLonc.Logging;

/// <summary>
/// log4net layout <c>LegacyLonc.Logging.LoncLayout, lonc</c>: a <see cref="PatternLayout"/> that also knows
/// 1.53's words <c>%localtime</c>, <c>%pid</c>, <c>%conserver</c> and <c>%status</c>, and whose default pattern
/// is 1.53's <c>"$local ($$) [$conserver] [$status]: $message"</c> line.
/// </summary>
public class LoncLayout : PatternLayout
{
    /// <summary>Event property carrying <c>$conserver</c> (<c>SHELL</c>, <c>PARENT</c> or the host id).</summary>
    public const string ConserverProperty = "conserver";

    /// <summary>Event property carrying <c>$status</c>.</summary>
    public const string StatusProperty = "status";

    /// <summary>1.53's line, byte for byte, which loncron and admins' scripts read back.</summary>
    public const string LinePattern = "%localtime (%pid) [%conserver] [%status]: %message%newline";

    /// <summary>The words this layout adds to log4net's own.</summary>
    public static IReadOnlyList<string> LoncWords { get; } = new[] { "localtime", "pid", ConserverProperty, StatusProperty };

    /// <summary>A layout writing 1.53's line.</summary>
    public LoncLayout()
        : base(LinePattern)
    {
    }

    /// <summary>Every word this layout understands: log4net's and 1.53's.</summary>
    internal IReadOnlyCollection<string> KnownWords() =>
        CreatePatternParser("").PatternConverters.Keys.Cast<string>().ToList();

    /// <remarks>
    /// Called by PatternLayout's constructor as well, so the default pattern is parsed once with every word known.
    /// A converter an administrator names the same way in XML (<c>&lt;converter&gt;</c>) takes precedence.
    /// </remarks>
    protected override PatternParser CreatePatternParser(string pattern)
    {
        var parser = base.CreatePatternParser(pattern);
        Add(parser, "localtime", new ConverterInfo { Name = "localtime", Type = typeof(PerlLocaltimeConverter) });
        Add(parser, "pid", new ConverterInfo { Name = "pid", Type = typeof(ProcessIdConverter) });
        Add(parser, ConserverProperty, new ConverterInfo { Name = ConserverProperty, Type = typeof(ConserverConverter) });
        Add(parser, StatusProperty, new ConverterInfo { Name = StatusProperty, Type = typeof(StatusConverter) });
        return parser;
    }

    private static void Add(PatternParser parser, string word, ConverterInfo info)
    {
        if (!parser.PatternConverters.ContainsKey(word))
            parser.PatternConverters[word] = info;
    }
}
