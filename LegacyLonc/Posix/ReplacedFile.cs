using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Replaces a file's whole content at once: a new file beside it, written and then renamed over the name. Whatever is
/// at the name — a regular file, or a link somebody planted there — is replaced, never written through; a reader
/// sees the old content or the new, never a part.
/// </summary>
/// <remarks>
/// The temporary file <c>.&lt;name&gt;.&lt;pid&gt;.tmp</c> is created with <c>O_CREAT|O_EXCL</c>, which follows no
/// link either; one left by a crashed lonc of the same pid is removed first. Its mode is set with fchmod, whatever
/// the umask.
/// </remarks>
public static class ReplacedFile
{
    /// <summary>Writes <paramref name="content"/> as <paramref name="path"/> with <paramref name="mode"/>; <see cref="SystemCallException"/> on failure.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, int mode)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path) ?? ".", $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var flags = RawFile.WriteOnly | RawFile.Create | Libc.O_EXCL | RawFile.CloseOnExec;
        var fd = RawFile.Open(temp, flags, mode, out var errno);
        if (fd < 0 && errno == Errno.EEXIST && Libc.Unlink(temp) == 0)
            fd = RawFile.Open(temp, flags, mode, out errno);
        if (fd < 0)
            throw new SystemCallException("open", temp, errno);
        var call = "write";
        try
        {
            if ((errno = RawFile.ChangeMode(fd, mode)) != 0)
                call = "fchmod";
            else
                errno = RawFile.WriteAll(fd, content, out _);
        }
        finally
        {
            RawFile.Close(fd);
        }
        if (errno == 0 && Libc.Rename(temp, path) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            call = "rename";
        }
        if (errno != 0)
        {
            Libc.Unlink(temp);
            throw new SystemCallException(call, call == "rename" ? path : temp, errno);
        }
    }
}
