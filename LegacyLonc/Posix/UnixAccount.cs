using System.Globalization;
using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>What the kernel knows about one path: its type, owner and permission bits (statx(2)).</summary>
public readonly partial record struct PathStat(bool IsDirectory, uint Owner, uint Group, uint Mode)
{
    /// <summary>errno of a path that does not exist.</summary>
    public const int ENOENT = 2;

    // struct statx has the same layout on every architecture (unlike struct stat), which is why it is used here.
    private const int StatxBytes = 256;
    private const int UidOffset = 20, GidOffset = 24, ModeOffset = 28;
    private const int AT_FDCWD = -100;
    private const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8, STATX_GID = 0x10;
    private const uint S_IFMT = 0xF000, S_IFDIR = 0x4000;

    /// <summary>The permission bits as <c>ls</c> and chmod write them, e.g. <c>0755</c>.</summary>
    public string Octal => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>stat of <paramref name="path"/> (symbolic links followed); null with the errno when it fails.</summary>
    public static unsafe PathStat? Of(string path, out int errno)
    {
        var buffer = stackalloc byte[StatxBytes];
        if (statx(AT_FDCWD, path, 0, STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        var mode = (uint)*(ushort*)(buffer + ModeOffset);
        return new PathStat((mode & S_IFMT) == S_IFDIR, *(uint*)(buffer + UidOffset), *(uint*)(buffer + GidOffset), mode & 0xFFF);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}

/// <summary>
/// A user account as the kernel sees it when it checks permissions: uid and every group (primary and
/// supplementary). <c>lonc --check-config</c> asks, for the account lonc will run as, what that account
/// may do to a path, whoever runs the check (root, an administrator, the account itself).
/// </summary>
/// <remarks>
/// Plain libc through generated stubs, not Mono.Posix: its Syscall class needs its native helper library
/// before the first call, and <c>--check-config</c> must work from the executable alone.
/// </remarks>
public sealed partial record UnixAccount(string Name, uint Uid, IReadOnlyList<uint> Groups)
{
    /// <summary>Read, write and search (execute) bits, as in a mode's triplets.</summary>
    public const int Read = 4, Write = 2, Search = 1;

    private const int ERANGE = 34;
    private const int MaxBuffer = 1 << 20;

    /// <summary>The account called <paramref name="name"/>, or null when there is none.</summary>
    public static UnixAccount? Find(string name) =>
        Lookup(name, null) is { } pw ? new UnixAccount(name, pw.Uid, GroupsOf(name, pw.Gid)) : null;

    /// <summary>The name of <paramref name="uid"/>, or the number when no account has it.</summary>
    public static string NameOf(uint uid) => Lookup(null, uid)?.Name ?? uid.ToString(CultureInfo.InvariantCulture);

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

    /// <summary>getpwnam_r or getpwuid_r; null when there is no such account (or the lookup fails).</summary>
    private static unsafe (string Name, uint Uid, uint Gid)? Lookup(string? name, uint? uid)
    {
        for (var size = 4096; size <= MaxBuffer; size *= 2)
        {
            var buffer = new byte[size];
            Passwd pw;
            Passwd* result;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = name is not null
                    ? getpwnam_r(name, &pw, b, (nuint)size, &result)
                    : getpwuid_r(uid!.Value, &pw, b, (nuint)size, &result);
                if (rc == 0 && result != null)
                    return (Marshal.PtrToStringUTF8(pw.Name) ?? "", pw.Uid, pw.Gid);
            }
            if (rc != ERANGE)
                return null;
        }
        return null;
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
                if (getgrouplist(name, primary, p, &n) >= 0)
                    return groups[..n];
            }
            count = Math.Max(n, count * 2);
        }
        return new[] { primary };
    }

    /// <summary>glibc's struct passwd; sequential layout gives C's offsets on every architecture.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Home;
        public IntPtr Shell;
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int getpwnam_r(string name, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static unsafe partial int getpwuid_r(uint uid, Passwd* pwd, byte* buffer, nuint size, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int getgrouplist(string user, uint group, uint* groups, int* ngroups);
}
