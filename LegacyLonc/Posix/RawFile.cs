using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// A file used through its descriptor with plain system calls — open, read, write, fchmod, ftruncate, close — where
/// .NET's file API does the wrong thing for lonc: it opens without <c>O_APPEND</c> (lines of many processes overwrite
/// each other, <c>Logging.AppendOnlyFile</c>) and takes a non-blocking flock of its own (fails while a child holds
/// the status file's lock, <c>Parent.StatusReport</c>). Every call is retried on EINTR, a bounded number of times.
/// </summary>
public static class RawFile
{
    /// <summary>Open flags (generic Linux values).</summary>
    public const int ReadOnly = Libc.O_RDONLY, WriteOnly = Libc.O_WRONLY, Create = Libc.O_CREAT, Append = Libc.O_APPEND,
        CloseOnExec = Libc.O_CLOEXEC, NoFollow = Libc.O_NOFOLLOW;

    /// <summary>0644: the owner writes, loncron, the web server and administrators read.</summary>
    public const int ReadableByAll = 0x1A4;

    // EINTR cannot repeat forever on a local file, but a bound keeps a pathological case from spinning.
    private const int MaxInterrupts = 100;

    /// <summary>open(2); the descriptor, or -1 with <paramref name="errno"/>.</summary>
    public static int Open(string path, int flags, int mode, out int errno)
    {
        for (var interrupts = 0; ; interrupts++)
        {
            var fd = Libc.Open(path, flags, mode);
            errno = fd >= 0 ? 0 : Marshal.GetLastPInvokeError();
            if (fd >= 0 || errno != Errno.EINTR || interrupts >= MaxInterrupts)
                return fd;
        }
    }

    /// <summary>
    /// Writes all of <paramref name="bytes"/>, continuing after a short write (on an O_APPEND descriptor the rest
    /// still goes to the end of the file); 0, or the errno (<paramref name="written"/> says how far it got; a write
    /// that wrote nothing without an error gives <see cref="Errno.EAGAIN"/>).
    /// </summary>
    public static unsafe int WriteAll(int fd, ReadOnlySpan<byte> bytes, out int written)
    {
        written = 0;
        var interrupts = 0;
        fixed (byte* start = bytes)
        {
            while (written < bytes.Length)
            {
                var n = Libc.Write(fd, start + written, bytes.Length - written);
                if (n > 0)
                {
                    written += (int)n;
                    continue;
                }
                var errno = n < 0 ? Marshal.GetLastPInvokeError() : Errno.EAGAIN;
                if (errno != Errno.EINTR || ++interrupts > MaxInterrupts)
                    return errno;
            }
        }
        return 0;
    }

    /// <summary>
    /// One write(2) of <paramref name="bytes"/>, retried only on EINTR: the bytes written, or -1 with
    /// <paramref name="errno"/>. For a pipe shared by many writers, where a line must go whole or not at all.
    /// </summary>
    public static unsafe nint WriteOnce(int fd, ReadOnlySpan<byte> bytes, out int errno)
    {
        fixed (byte* start = bytes)
        {
            for (var interrupts = 0; ; interrupts++)
            {
                var n = Libc.Write(fd, start, bytes.Length);
                errno = n >= 0 ? 0 : Marshal.GetLastPInvokeError();
                if (n >= 0 || errno != Errno.EINTR || interrupts >= MaxInterrupts)
                    return n;
            }
        }
    }

    /// <summary>read(2) into <paramref name="buffer"/>: the bytes read (0 at the end), or -1 with <paramref name="errno"/>.</summary>
    public static unsafe nint Read(int fd, Span<byte> buffer, out int errno)
    {
        fixed (byte* start = buffer)
        {
            for (var interrupts = 0; ; interrupts++)
            {
                var n = Libc.Read(fd, start, buffer.Length);
                errno = n >= 0 ? 0 : Marshal.GetLastPInvokeError();
                if (n >= 0 || errno != Errno.EINTR || interrupts >= MaxInterrupts)
                    return n;
            }
        }
    }

    /// <summary>Reads until the end of the file; the bytes, or null with <paramref name="errno"/>.</summary>
    public static byte[]? ReadToEnd(int fd, out int errno)
    {
        var bytes = new List<byte>();
        Span<byte> chunk = stackalloc byte[8192];
        while (true)
        {
            var n = Read(fd, chunk, out errno);
            if (n < 0)
                return null;
            if (n == 0)
                return bytes.ToArray();
            bytes.AddRange(chunk[..(int)n]);
        }
    }

    /// <summary>fchmod(2): sets the mode whatever the umask made of it; 0 or the errno.</summary>
    public static int ChangeMode(int fd, int mode) => Libc.Fchmod(fd, (uint)mode) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>ftruncate(2) to zero bytes; 0 or the errno.</summary>
    public static int Empty(int fd) => Libc.Ftruncate(fd, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>close(2). On Linux the descriptor is released even when close reports EINTR, so it is never retried.</summary>
    public static void Close(int fd) => Libc.Close(fd);
}
