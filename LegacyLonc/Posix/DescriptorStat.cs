using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// What the kernel knows about an open descriptor — the file it really is, whatever name led to it: its type,
/// owner, link count and size (statx(2) with <c>AT_EMPTY_PATH</c>, i.e. fstat). Checked after the open, it
/// leaves no gap for the name to be swapped between a check and the open.
/// </summary>
public readonly record struct DescriptorStat(uint Type, uint Owner, uint LinkCount, long Size)
{
    /// <summary>File types, as in a mode's <c>S_IFMT</c> bits.</summary>
    public const uint Fifo = 0x1000, CharacterDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, SymbolicLink = 0xA000, Socket = 0xC000;

    // struct statx has the same layout on every architecture (unlike struct stat).
    private const int StatxBytes = 256;
    private const int NlinkOffset = 16, UidOffset = 20, ModeOffset = 28, SizeOffset = 40;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_SIZE = 0x200;
    private const uint S_IFMT = 0xF000;

    /// <summary>True for a plain file (not a FIFO, device, socket, directory or link).</summary>
    public bool IsRegular => Type == Regular;

    /// <summary>The type in words, for a log line: <c>a FIFO</c>, <c>a character device</c>, ….</summary>
    public string TypeName => Type switch
    {
        Regular => "a regular file",
        Fifo => "a FIFO",
        CharacterDevice => "a character device",
        BlockDevice => "a block device",
        Directory => "a directory",
        SymbolicLink => "a symbolic link",
        Socket => "a socket",
        _ => $"a file of type 0{Convert.ToString(Type >> 12, 8)}",
    };

    /// <summary>fstat of <paramref name="fd"/>; null with the errno when it fails.</summary>
    public static unsafe DescriptorStat? Of(int fd, out int errno)
    {
        var buffer = stackalloc byte[StatxBytes];
        if (Libc.Statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_NLINK | STATX_UID | STATX_SIZE, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        var mode = (uint)*(ushort*)(buffer + ModeOffset);
        return new DescriptorStat(mode & S_IFMT, *(uint*)(buffer + UidOffset), *(uint*)(buffer + NlinkOffset),
            (long)*(ulong*)(buffer + SizeOffset));
    }
}
