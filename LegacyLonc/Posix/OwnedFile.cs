namespace LegacyLonc.Posix;

/// <summary>
/// Opens for reading a file that only a given user can have made: a regular file that user owns, under one name.
/// The open follows no symbolic link (<c>O_NOFOLLOW</c>), never waits (<c>O_NONBLOCK</c>: a FIFO with no writer
/// does not hang it) and takes no terminal; the checks are then made on the opened descriptor (fstat), so the name
/// cannot be swapped between check and use.
/// </summary>
/// <remarks>
/// The child's delayed spool reads files other local users may be able to plant (<c>Child.SpoolFile</c>): a link to
/// a secret, a FIFO, <c>/dev/zero</c>, a file of their own, or a second name (hard link) for one of lonc's user's files.
/// </remarks>
public static class OwnedFile
{
    private static readonly int Flags = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC;

    /// <summary>
    /// What <see cref="OpenForReading"/> found: an open descriptor (<see cref="Fd"/> ≥ 0, <see cref="Size"/> from
    /// fstat) the caller closes; or why not — <see cref="Untrusted"/> in words (<c>is a symbolic link</c>, …), or
    /// the <see cref="Errno"/> of a failed open.
    /// </summary>
    public readonly record struct Result(int Fd, long Size, string? Untrusted, int Errno)
    {
        /// <summary>True when the file was opened and passed every check.</summary>
        public bool IsOpen => Fd >= 0;
    }

    /// <summary>Opens <paramref name="path"/> if it is a regular file owned by <paramref name="owner"/> with one link.</summary>
    public static Result OpenForReading(string path, uint owner)
    {
        var fd = RawFile.Open(path, Flags, 0, out var errno);
        if (fd < 0)
        {
            // O_NOFOLLOW reports a symbolic link in the last component as ELOOP.
            return errno == Errno.ELOOP ? Refused("is a symbolic link") : new Result(-1, 0, null, errno);
        }
        var stat = FileNode.OfDescriptor(fd, out errno);
        var untrusted = stat switch
        {
            null => null,
            { Kind: not FileKind.Regular } s => $"is {s.Description}, not a regular file",
            { } s when s.Owner != owner => $"is owned by uid {s.Owner}, not by lonc's user (uid {owner})",
            { Links: not 1 } s => $"has {s.Links} links (another name, possibly someone else's, leads to the same file)",
            _ => null,
        };
        if (stat is null || untrusted is not null)
        {
            RawFile.Close(fd);
            return untrusted is null ? new Result(-1, 0, null, errno) : Refused(untrusted);
        }
        return new Result(fd, stat.Value.Size, null, 0);
    }

    private static Result Refused(string why) => new(-1, 0, why, 0);
}
