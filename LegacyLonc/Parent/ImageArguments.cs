using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>
/// The command lines the parent runs its own program with (after the program path): a child per host,
/// the detached daemon, and the HUP restart. Each ends with the title room of <see cref="ProcessTitle"/>.
/// </summary>
public static class ImageArguments
{
    /// <summary>
    /// <c>--child HOST --conf-dir DIR --user USER --report-fd 3 --config-fd 4 --title-room=...</c>: the child reports to
    /// the parent on the descriptor <see cref="ProcessSpawn"/> places the parent's report pipe on, and reads its
    /// configuration from the next (<see cref="ConfigSnapshot"/>).
    /// </summary>
    public static IReadOnlyList<string> ForChild(string host, string confDir, string user) =>
        new[]
        {
            "--child", host, "--conf-dir", confDir, "--user", user,
            "--report-fd", ProcessSpawn.PassedDescriptor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--config-fd", ConfigSnapshot.Descriptor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ProcessTitle.RoomArgument,
        };

    /// <summary>The daemon copy that daemonizing starts in a new session: the original arguments plus <c>--detached</c>.</summary>
    public static IReadOnlyList<string> ForDetached(IReadOnlyList<string> rawArgs)
    {
        var args = WithoutTitleRoom(rawArgs);
        if (!args.Contains("--detached"))
            args.Add("--detached");
        args.Add(ProcessTitle.RoomArgument);
        return args;
    }

    /// <summary>
    /// The HUP restart: the same arguments again. A daemon is always <c>--foreground</c> or <c>--detached</c>
    /// by now, so the new image never detaches (and keeps the pid loncron knows).
    /// </summary>
    public static IReadOnlyList<string> ForRestart(LoncOptions options)
    {
        var args = WithoutTitleRoom(options.RawArgs);
        if (!options.Foreground && !options.Detached)
            args.Add("--detached");
        args.Add(ProcessTitle.RoomArgument);
        return args;
    }

    private static List<string> WithoutTitleRoom(IReadOnlyList<string> args) =>
        args.Where(a => !a.StartsWith(ProcessTitle.RoomPrefix, StringComparison.Ordinal)).ToList();
}
