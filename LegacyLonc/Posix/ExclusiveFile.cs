using System.Runtime.InteropServices;
using System.Text;

namespace LegacyLonc.Posix;

/// <summary>
/// A regular file opened by name without following a symbolic link and held under an exclusive flock(2) until
/// disposed or the process ends (the lock goes with the descriptor, which is close-on-exec): lonc.pid, whose lock
/// rather than its content says whether a lonc is running.
/// </summary>
/// <remarks>
/// A lonc stopping removes the file while a starting one may already have it open; the starter would then lock a
/// file nobody can find. So a lock on a file that has no name any more (no links) is let go and the open retried.
/// </remarks>
public sealed class ExclusiveFile : IDisposable
{
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1, STATX_NLINK = 0x4;
    private const uint S_IFMT = 0xF000, S_IFREG = 0x8000;
    private const int StatxBytes = 256, NlinkOffset = 16, ModeOffset = 28;
    private const int MaxRenamedUnderUs = 10;

    private int _fd;

    private ExclusiveFile(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    /// <summary>How <see cref="Take"/> ended when it did not get the file.</summary>
    public enum Refusal
    {
        /// <summary>Another process holds the lock.</summary>
        Held,
        /// <summary>The path is a symbolic link, not a regular file, or cannot be opened (the reason says which).</summary>
        Unusable,
    }

    /// <summary>
    /// Opens (creating it with <paramref name="mode"/>) and locks <paramref name="path"/>; null with
    /// <paramref name="refusal"/> and a one-line <paramref name="reason"/> when it cannot.
    /// </summary>
    public static unsafe ExclusiveFile? Take(string path, int mode, out Refusal refusal, out string reason)
    {
        var buffer = stackalloc byte[StatxBytes];
        for (var attempt = 0; ; attempt++)
        {
            // O_NONBLOCK: opening a FIFO or a device planted at the path must not hang or act; the type check follows.
            var fd = RawFile.Open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, mode, out var errno);
            if (fd < 0)
            {
                refusal = Refusal.Unusable;
                reason = errno == Errno.ELOOP
                    ? "is a symbolic link; lonc opens it only as a regular file: remove the link"
                    : $"cannot be opened: {SystemErrorText.Errno(errno)}";
                return null;
            }
            var statError = Libc.Statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_NLINK, buffer) == 0 ? 0 : Marshal.GetLastPInvokeError();
            if (statError != 0 || (*(ushort*)(buffer + ModeOffset) & S_IFMT) != S_IFREG)
            {
                RawFile.Close(fd);
                refusal = Refusal.Unusable;
                reason = statError != 0
                    ? $"cannot be examined: {SystemErrorText.Errno(statError)}"
                    : "is not a regular file; lonc keeps its pid in a regular file here: move it away";
                return null;
            }
            var locked = FileLock.TryExclusive(fd);
            if (locked != 0)
            {
                RawFile.Close(fd);
                refusal = locked == Errno.EAGAIN ? Refusal.Held : Refusal.Unusable;
                reason = locked == Errno.EAGAIN ? "is locked by another process" : $"cannot be locked: {SystemErrorText.Errno(locked)}";
                return null;
            }
            var links = Libc.Statx(fd, "", AT_EMPTY_PATH, STATX_NLINK, buffer) == 0 ? *(uint*)(buffer + NlinkOffset) : 1u;
            if (links > 0 || attempt >= MaxRenamedUnderUs)
            {
                refusal = default;
                reason = "";
                return new ExclusiveFile(fd, path);
            }
            RawFile.Close(fd);
        }
    }

    /// <summary>Replaces the content with <paramref name="text"/> in place (the locked file stays the same file); 0 or the errno.</summary>
    public unsafe int Replace(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var emptied = RawFile.Empty(_fd);
        if (emptied != 0)
            return emptied;
        fixed (byte* start = bytes)
        {
            var n = Libc.Pwrite(_fd, start, bytes.Length, 0);
            if (n < 0)
                return Marshal.GetLastPInvokeError();
            return n == bytes.Length ? 0 : Errno.EAGAIN;
        }
    }

    /// <summary>Sets the mode, whatever the file had before it was taken; 0 or the errno.</summary>
    public int ChangeMode(int mode) => RawFile.ChangeMode(_fd, mode);

    /// <summary>Lets go of the lock and the descriptor.</summary>
    public void Dispose()
    {
        if (_fd < 0)
            return;
        RawFile.Close(_fd);
        _fd = -1;
    }
}
