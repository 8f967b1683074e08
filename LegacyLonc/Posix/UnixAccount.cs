using System.Globalization;
using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace LegacyLonc.Posix;

/// <summary>
/// A user account as the kernel sees it when it checks permissions: uid and every group (primary and
/// supplementary). <c>lonc --check-config</c> asks, for the account lonc will run as, what that account
/// may do to a path, whoever runs the check (root, an administrator, the account itself).
/// </summary>
/// <remarks>
/// The account database is where Mono.Posix (the design card's package) earns its place: its native helper
/// converts glibc's <c>struct passwd</c> and the group list, so lonc declares no C layout of its own for them,
/// and NSS (files, LDAP, …) answers as it does for every other program. Only the parent's start-up check and
/// <c>--check-config</c> look accounts up, once each; a native lonc therefore needs <c>libMonoPosixHelper.so</c>
/// beside it (the publish puts it there, scripts/install installs it), and a child never loads it.
/// </remarks>
public sealed record UnixAccount(string Name, uint Uid, IReadOnlyList<uint> Groups)
{
    /// <summary>Read, write and search (execute) bits, as in a mode's triplets.</summary>
    public const int Read = 4, Write = 2, Search = 1;

    /// <summary>The file Mono.Posix loads from lonc's own directory.</summary>
    public const string HelperLibrary = "libMonoPosixHelper.so";

    /// <summary>The account called <paramref name="name"/>, or null when there is none.</summary>
    /// <exception cref="HelperMissingException"><see cref="HelperLibrary"/> is not beside lonc.</exception>
    public static UnixAccount? Find(string name) => WithHelper(() =>
    {
        var pw = Syscall.getpwnam(name);
        if (pw is null)
            return null;
        // getgrouplist: the primary group and every supplementary one, as the kernel will see them at login.
        var groups = Syscall.getgrouplist(pw)?.Select(g => g.gr_gid).ToList() ?? new List<uint>();
        if (!groups.Contains(pw.pw_gid))
            groups.Insert(0, pw.pw_gid);
        return new UnixAccount(name, pw.pw_uid, groups);
    });

    /// <summary>The name of <paramref name="uid"/>, or the number when no account has it.</summary>
    /// <exception cref="HelperMissingException"><see cref="HelperLibrary"/> is not beside lonc.</exception>
    public static string NameOf(uint uid) =>
        WithHelper(() => Syscall.getpwuid(uid)?.pw_name) ?? uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>Mono.Posix's native helper could not be loaded: lonc was copied without it.</summary>
    public sealed class HelperMissingException(string message) : Exception(message);

    private static T WithHelper<T>(Func<T> lookup)
    {
        try
        {
            return lookup();
        }
        catch (Exception e) when (e is DllNotFoundException || e.InnerException is DllNotFoundException)
        {
            throw new HelperMissingException(
                $"cannot look up accounts: {HelperLibrary} (Mono.Posix's native helper) is missing beside {Environment.ProcessPath}; " +
                "install it with lonc (scripts/install does)");
        }
    }

    /// <summary>The effective uid of this process.</summary>
    public static uint EffectiveUid => Libc.GetEffectiveUid();

    /// <summary>
    /// Whether this account gets every bit of <paramref name="want"/> on a file with <paramref name="stat"/>,
    /// as the kernel decides without ACLs: root always (lonc's directories need no execute bit on a file);
    /// the owner gets the owner triplet only, a group member the group triplet only, everyone else the rest.
    /// </summary>
    public bool Permits(FileNode stat, int want)
    {
        if (Uid == 0)
            return true;
        var bits = stat.Owner == Uid ? (stat.Mode >> 6) & 7
            : Groups.Contains(stat.Group) ? (stat.Mode >> 3) & 7
            : stat.Mode & 7;
        return (bits & want) == want;
    }
}
