using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>The kind of a file system node, as the <c>S_IFMT</c> bits of its mode say.</summary>
public enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Socket,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Unknown,
}

/// <summary>
/// What the kernel says about one node: its kind, owner, group, link count, permission bits and size, from statx(2)
/// on an open descriptor, on a name with <c>AT_SYMLINK_NOFOLLOW</c> (the node itself, never what a link points to),
/// or on a path whose links are followed (<see cref="OfPath"/>, for judging directories as the kernel will). lonc decides whether to write to, or remove, a name it did not create from this,
/// so that a link or a FIFO planted in its directories is seen as what it is.
/// </summary>
public readonly record struct FileNode(FileKind Kind, uint Owner, uint Group, uint Links, uint Mode, long Size)
{
    // struct statx has the same layout on every architecture (unlike struct stat).
    private const int StatxBytes = 256;
    private const int LinksOffset = 16, UidOffset = 20, GidOffset = 24, ModeOffset = 28, SizeOffset = 40;
    private const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_GID = 0x10, STATX_SIZE = 0x200;
    private const uint S_IFMT = 0xF000;

    /// <summary>The node behind an open descriptor (fstat).</summary>
    public static FileNode? OfDescriptor(int fd, out int errno) => Stat(fd, "", AT_EMPTY_PATH, out errno);

    /// <summary>The node named by <paramref name="path"/>; a symbolic link is described, not followed (lstat).</summary>
    public static FileNode? OfName(string path, out int errno) => Stat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, out errno);

    /// <summary>The node <paramref name="path"/> leads to, symbolic links followed (stat).</summary>
    public static FileNode? OfPath(string path, out int errno) => Stat(AT_FDCWD, path, 0, out errno);

    /// <summary>True for a directory.</summary>
    public bool IsDirectory => Kind == FileKind.Directory;

    /// <summary>The permission bits as <c>ls</c> and chmod write them, e.g. <c>0755</c>.</summary>
    public string Octal => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>"a regular file", "a symbolic link", … for messages that name what was found.</summary>
    public string Description => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Socket => "a socket",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "a node of unknown type",
    };

    private static unsafe FileNode? Stat(int dirFd, string path, int flags, out int errno)
    {
        var buffer = stackalloc byte[StatxBytes];
        if (Libc.Statx(dirFd, path, flags, STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | STATX_SIZE, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        var mode = (uint)*(ushort*)(buffer + ModeOffset);
        return new FileNode(KindOf(mode & S_IFMT), *(uint*)(buffer + UidOffset), *(uint*)(buffer + GidOffset),
            *(uint*)(buffer + LinksOffset), mode & 0xFFF,
            (long)*(ulong*)(buffer + SizeOffset));
    }

    private static FileKind KindOf(uint type) => type switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0xC000 => FileKind.Socket,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        _ => FileKind.Unknown,
    };
}
