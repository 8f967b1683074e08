using LegacyLonc.Posix;

namespace LegacyLonc.Cli;

/// <summary>What lonc was asked to do.</summary>
public enum LoncMode { Daemon, Child, CheckConfig, Status, Help, Version }

/// <summary>
/// The parsed command line. The public contract is
/// <c>lonc [--conf-dir DIR] [--user NAME] [--foreground]</c>, <c>lonc --check-config [--conf-dir DIR]</c>,
/// <c>lonc --status [--json] [--conf-dir DIR]</c>, <c>--help</c>, <c>--version</c>; <c>--child HOST</c>,
/// <c>--report-fd N</c>, <c>--config-fd N</c> and <c>--detached</c> are how the parent starts its own images and are not for administrators.
/// </summary>
public sealed record LoncOptions
{
    public const string DefaultConfDir = "/etc/httpd/conf";
    public const string DefaultUser = "www";

    public LoncMode Mode { get; init; } = LoncMode.Daemon;
    public string ConfDir { get; init; } = DefaultConfDir;
    public string User { get; init; } = DefaultUser;
    public bool Foreground { get; init; }
    /// <summary><c>--status --json</c>: the status as one JSON document instead of a table.</summary>
    public bool Json { get; init; }
    /// <summary>Set on the copy that daemonizing spawned in a new session, so it does not detach again.</summary>
    public bool Detached { get; init; }
    /// <summary>The host a <c>--child</c> image serves.</summary>
    public string? ChildHost { get; init; }
    /// <summary>The descriptor a <c>--child</c> reports to its parent on (see <c>Reports.ParentChannel</c>).</summary>
    public int? ReportFd { get; init; }
    /// <summary>
    /// The descriptor a <c>--child</c> reads its configuration from (see <c>Configuration.ConfigSnapshot</c>);
    /// without it, a child started by hand reads the files in <see cref="ConfDir"/>.
    /// </summary>
    public int? ConfigFd { get; init; }

    /// <summary>The original arguments, for the HUP re-exec.</summary>
    public IReadOnlyList<string> RawArgs { get; init; } = Array.Empty<string>();

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> with a one-line reason.</summary>
    public static LoncOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoncOptions { RawArgs = args.ToArray() };
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"option {a} needs a value");
                return args[++i];
            }
            switch (a)
            {
                case "--conf-dir": o = o with { ConfDir = Value() }; break;
                case "--user": o = o with { User = Value() }; break;
                case "--foreground": o = o with { Foreground = true }; break;
                case "--detached": o = o with { Detached = true }; break;
                case "--child": o = o.InMode(LoncMode.Child, a) with { ChildHost = Value() }; break;
                case "--check-config": o = o.InMode(LoncMode.CheckConfig, a); break;
                case "--status": o = o.InMode(LoncMode.Status, a); break;
                case "--json": o = o with { Json = true }; break;
                case "--report-fd": o = o with { ReportFd = Descriptor(a, Value()) }; break;
                case "--config-fd": o = o with { ConfigFd = Descriptor(a, Value()) }; break;
                case "--help": case "-h": o = o with { Mode = LoncMode.Help }; break;
                case "--version": o = o with { Mode = LoncMode.Version }; break;
                default:
                    // Room for the process title (see ProcessTitle): the parent pads children's argv.
                    if (a.StartsWith(ProcessTitle.RoomPrefix, StringComparison.Ordinal))
                        break;
                    throw new UsageException($"unknown argument '{a}' (try lonc --help)");
            }
        }
        if (o.Json && o.Mode != LoncMode.Status)
            throw new UsageException("option --json goes with --status");
        return o;
    }

    private static int Descriptor(string option, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 3
            ? n
            : throw new UsageException($"option {option} needs a descriptor number of at least 3, not '{text}'");

    /// <summary>
    /// This command line switched to <paramref name="mode"/> by <paramref name="option"/>: a second, different mode
    /// (<c>--check-config --status</c>) is a usage error rather than a silent choice; <c>--help</c> and
    /// <c>--version</c> answer whatever else is given.
    /// </summary>
    private LoncOptions InMode(LoncMode mode, string option)
    {
        if (Mode is LoncMode.Help or LoncMode.Version)
            return this;
        if (Mode != LoncMode.Daemon && Mode != mode)
            throw new UsageException($"option {option} cannot be combined with {OptionOf(Mode)} (one mode at a time)");
        return this with { Mode = mode };
    }

    private static string OptionOf(LoncMode mode) => mode switch
    {
        LoncMode.Child => "--child",
        LoncMode.CheckConfig => "--check-config",
        _ => "--status",
    };
}

/// <summary>A command-line mistake; the message is printed with the usage hint and lonc exits 64 (EX_USAGE).</summary>
public sealed class UsageException(string message) : Exception(message);
