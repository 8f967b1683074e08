using System.Net.Sockets;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// The file of a child's UNIX socket, <c>&lt;lonSockDir&gt;/&lt;id&gt;</c>: what may be removed as stale before
/// a child binds it, and the bind itself, with the file's mode set on the descriptor rather than by name.
/// </summary>
/// <remarks>
/// 1.53 unlinked whatever had the name (a host id equal to another daemon's socket, or to any file, made lonc
/// delete it) and left the mode to the umask; an earlier LegacyLonc chmod-ed the name after the bind, which
/// acts on whatever stands at the name by then. Here both act on the node itself.
/// </remarks>
internal static class SocketFile
{
    /// <summary>0755: connecting needs write permission, so only lonc's user (lonnet's <c>www</c>) may connect.</summary>
    public const int Mode = 0x1ED;

    /// <summary>
    /// Removes what an earlier child left at <paramref name="path"/>, if it is a socket owned by lonc's user;
    /// null when the name is free now, else why it was kept (the file is left as it is).
    /// </summary>
    public static string? RemoveStale(string path)
    {
        var node = FileNode.OfName(path, out var errno);
        if (node is not { } found)
            return errno == Errno.ENOENT ? null : $"cannot examine it: {SystemErrorText.Errno(errno)}";
        if (found.Kind != FileKind.Socket)
            return $"it is {found.Description}, not a socket";
        if (found.Owner != UnixAccount.EffectiveUid)
            return $"it is a socket of uid {found.Owner}, not of lonc's user (uid {UnixAccount.EffectiveUid})";
        try
        {
            File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot remove it: {SystemErrorText.Of(e)}";
        }
    }

    /// <summary>A socket bound at <paramref name="path"/> with <paramref name="mode"/> (less the umask) and listening.</summary>
    /// <exception cref="SocketException">bind or listen failed.</exception>
    /// <exception cref="SystemCallException">the mode could not be set.</exception>
    public static Socket Listen(string path, int backlog, int mode = Mode)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // Linux creates the file with the mode of the socket's own inode, less the umask: set it there,
            // before the bind, and the file never exists with another mode (measured: fchmod 0700 before
            // bind gives srwx------, under umask 000 as under 022).
            var errno = RawFile.ChangeMode((int)socket.Handle, mode);
            if (errno != 0)
                throw new SystemCallException("fchmod", "the socket for " + path, errno);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
