using System.Runtime.InteropServices;
using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Logging;

/// <summary>
/// A log file that many processes append whole lines to: each line is one <c>write(2)</c> on a descriptor
/// opened with <c>O_APPEND</c>, so the kernel puts it at the end of the file, untorn, whoever else writes.
/// </summary>
/// <remarks>
/// <para>.NET's <c>FileMode.Append</c> opens without <c>O_APPEND</c> and writes at its own cached offset, so
/// the parent and the children overwrite each other's lines (platform notes §7). Perl's <c>&gt;&gt;</c> had
/// <c>O_APPEND</c>; this class restores it.</para>
/// <para>The file is opened, written and closed for every line, exactly as 1.53's <c>logthis</c> did with
/// <c>IO::File-&gt;new("&gt;&gt;...")</c> per call. That is what makes loncron's rotation safe: after
/// <c>lonc.log</c> is renamed to <c>lonc.log.1</c> the next line creates a new <c>lonc.log</c>, with no
/// inode watching and no window in which a cached descriptor still points at the renamed file. lonc logs
/// a few lines per request at most, so three syscalls per line cost nothing that matters.</para>
/// <para>The name is opened without following a symbolic link and without blocking, and the descriptor must be
/// a regular file: a link planted in place of <c>lonc.log</c> (or <c>lonnet.perm.log</c>) by someone who could
/// write <c>logs/</c> would otherwise have lonc append to whatever file its user can write, and a FIFO would
/// hang the process at its next line. Such a name is refused like any other failure to open; Perl's
/// <c>&gt;&gt;</c> followed both.</para>
/// <para>A line that cannot be written is dropped, never thrown: the first failure of an outage is reported
/// on stderr (lonc's stderr goes to <c>logs/lonc_errors</c>), later ones stay quiet until a write succeeds.</para>
/// </remarks>
public sealed class AppendOnlyFile
{
    private static readonly int Flags = RawFile.WriteOnly | RawFile.Append | RawFile.Create | RawFile.CloseOnExec |
                                        RawFile.NoFollow | RawFile.NonBlocking;

    // 0644: owner writes, loncron and admins read. The umask still applies, as it did for Perl.
    private const int Mode = RawFile.ReadableByAll;

    private readonly TextWriter _errors;
    private int _failing;

    /// <summary>A file at <paramref name="path"/>; failures are reported on <paramref name="errors"/> (default stderr).</summary>
    public AppendOnlyFile(string path, TextWriter? errors = null)
    {
        Path = path;
        _errors = errors ?? Console.Error;
    }

    /// <summary>The file's path; it is looked up anew for every line.</summary>
    public string Path { get; }

    /// <summary>Appends <paramref name="text"/> (normally one line with its <c>\n</c>) in one write; false if it was lost.</summary>
    public bool Append(string text)
    {
        var error = TryAppend(Path, Encoding.UTF8.GetBytes(text));
        if (error is null)
        {
            Volatile.Write(ref _failing, 0);
            return true;
        }
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            Report(error);
        return false;
    }

    /// <summary>open(O_APPEND | O_NOFOLLOW)-check-write-close; null on success, else why not.</summary>
    /// <remarks>
    /// A short write only happens when the disk fills or a signal lands mid-copy; the rest still goes to the end
    /// of the file, so the line is kept even if another one got between.
    /// </remarks>
    internal static string? TryAppend(string path, ReadOnlySpan<byte> bytes)
    {
        var fd = RawFile.Open(path, Flags, Mode, out var errno);
        if (fd < 0)
            return errno switch
            {
                Errno.ELOOP => "it is a symbolic link, which lonc does not follow (remove it; lonc creates the file anew)",
                // O_NONBLOCK on a FIFO without a reader, or a socket.
                Errno.ENXIO => "it is a FIFO or a socket, not a regular file (remove it; lonc creates the file anew)",
                _ => $"open: {Marshal.GetPInvokeErrorMessage(errno)}",
            };
        var node = FileNode.OfDescriptor(fd, out errno);
        if (node is not { Kind: FileKind.Regular })
        {
            RawFile.Close(fd);
            return node is { } other
                ? $"it is {other.Description}, not a regular file (remove it; lonc creates the file anew)"
                : $"fstat: {Marshal.GetPInvokeErrorMessage(errno)}";
        }
        errno = RawFile.WriteAll(fd, bytes, out var done);
        RawFile.Close(fd);
        return errno == 0 ? null : $"write: {Marshal.GetPInvokeErrorMessage(errno)} after {done} of {bytes.Length} bytes";
    }

    private void Report(string error)
    {
        try
        {
            _errors.WriteLine($"lonc: cannot append to {Path}: {error}; lines are lost until it is writable again");
            _errors.Flush();
        }
        catch (Exception)
        {
            // stderr itself is gone; there is nobody left to tell.
        }
    }
}
