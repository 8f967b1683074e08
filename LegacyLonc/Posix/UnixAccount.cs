using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace LegacyLonc.Posix;

/// <summary>What the kernel knows about one path: its type, owner and permission bits (stat(2)).</summary>
public readonly record struct PathStat(bool IsDirectory, uint Owner, uint Group, uint Mode)
{
    /// <summary>The permission bits as <c>ls</c> and chmod write them, e.g. <c>0755</c>.</summary>
    public string Octal => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>stat(2) of <paramref name="path"/> (symbolic links followed); null with the errno when it fails.</summary>
    public static PathStat? Of(string path, out Errno error)
    {
        error = 0;
        if (Syscall.stat(path, out var st) != 0)
        {
            error = Stdlib.GetLastError();
            return null;
        }
        var type = st.st_mode & FilePermissions.S_IFMT;
        return new PathStat(type == FilePermissions.S_IFDIR, st.st_uid, st.st_gid, (uint)st.st_mode & 0xFFF);
    }
}

/// <summary>
/// A user account as the kernel sees it when it checks permissions: uid and every group (primary and
/// supplementary). <c>lonc --check-config</c> asks, for the account lonc will run as, what that account
/// may do to a path, whoever runs the check (root, an administrator, the account itself).
/// </summary>
public sealed partial record UnixAccount(string Name, uint Uid, IReadOnlyList<uint> Groups)
{
    /// <summary>Read, write and search (execute) bits, as in a mode's triplets.</summary>
    public const int Read = 4, Write = 2, Search = 1;

    /// <summary>The account called <paramref name="name"/>, or null when there is none.</summary>
    public static UnixAccount? Find(string name)
    {
        var pw = Syscall.getpwnam(name);
        return pw is null ? null : new UnixAccount(name, pw.pw_uid, GroupsOf(name, pw.pw_gid));
    }

    /// <summary>The name of <paramref name="uid"/>, or the number when no account has it.</summary>
    public static string NameOf(uint uid) => Syscall.getpwuid(uid)?.pw_name ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether this account gets every bit of <paramref name="want"/> on a file with <paramref name="stat"/>,
    /// as the kernel decides without ACLs: root always (lonc's directories need no execute bit on a file);
    /// the owner gets the owner triplet only, a group member the group triplet only, everyone else the rest.
    /// </summary>
    public bool Permits(PathStat stat, int want)
    {
        if (Uid == 0)
            return true;
        var bits = stat.Owner == Uid ? (stat.Mode >> 6) & 7
            : Groups.Contains(stat.Group) ? (stat.Mode >> 3) & 7
            : stat.Mode & 7;
        return (bits & want) == want;
    }

    private static unsafe uint[] GroupsOf(string name, uint primary)
    {
        // getgrouplist reports the size it needs when the buffer is too small; two rounds always suffice
        // unless the group database changes in between, and then the primary group alone is still right.
        var count = 64;
        for (var round = 0; round < 2; round++)
        {
            var groups = new uint[count];
            var n = count;
            fixed (uint* p = groups)
            {
                if (getgrouplist(name, primary, p, ref n) >= 0)
                    return groups[..n];
            }
            count = Math.Max(n, count * 2);
        }
        return new[] { primary };
    }

    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int getgrouplist(string user, uint group, uint* groups, ref int ngroups);
}
