using System.Net.Sockets;
using LegacyLonc.Child;
using LegacyLonc.Posix;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// <c>&lt;lonSockDir&gt;/&lt;id&gt;</c>: a child removes only a stale socket of its own user there; a file, a link or
/// another user's socket with that name is left alone, named in a WARNING, and the child does not listen. The
/// socket's mode is set on the descriptor before the bind.
/// </summary>
public sealed class SocketFileTests : IDisposable
{
    private readonly List<string> _scratch = new();

    [Fact]
    public void A_regular_file_with_the_socket_name_is_kept_and_the_child_does_not_listen()
    {
        using var h = new ChildHarness();
        File.WriteAllText(h.Socket, "another program's data\n");

        var log = h.StartUntilExit(exitCode: 1);

        Assert.Equal("another program's data\n", File.ReadAllText(h.Socket));
        Assert.Contains($"<font color=blue>WARNING: Can't remove stale socket {h.Socket}: it is a regular file, not a socket; left in place, not listening</font>", log);
        Assert.DoesNotContain("h1 online", log);
    }

    [Fact]
    public void A_symbolic_link_with_the_socket_name_is_kept_and_so_is_what_it_points_to()
    {
        using var h = new ChildHarness();
        using var other = OtherDaemonSocket(out var otherPath);
        File.CreateSymbolicLink(h.Socket, otherPath);

        var log = h.StartUntilExit(exitCode: 1);

        Assert.Equal(otherPath, new FileInfo(h.Socket).LinkTarget);
        Assert.True(new FileInfo(otherPath).Exists, "the other daemon's socket is gone");
        Assert.Contains($"WARNING: Can't remove stale socket {h.Socket}: it is a symbolic link, not a socket", log);
    }

    [Fact]
    public void Another_users_socket_with_the_socket_name_is_kept()
    {
        using var h = new ChildHarness();
        using var other = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(h.Socket));
        Chown("nobody", h.Socket);

        var log = h.StartUntilExit(exitCode: 1);

        Assert.True(File.Exists(h.Socket), "another user's socket was removed");
        Assert.Matches($@"WARNING: Can't remove stale socket {h.Socket}: it is a socket of uid \d+, not of lonc's user", log);
    }

    [Fact]
    public void A_stale_socket_of_lonc_s_user_is_replaced_by_the_child_s_own()
    {
        using var h = new ChildHarness();
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // Closed without unlinking, as a killed child leaves it.
            stale.Bind(new UnixDomainSocketEndPoint(h.Socket));
            File.Move(h.Socket, h.Socket + ".kept");
        }
        File.Move(h.Socket + ".kept", h.Socket);

        h.StartReady();

        Assert.DoesNotContain("WARNING: Can't remove stale socket", h.Sandbox.ReadLog());
    }

    [Fact]
    public void The_mode_is_set_on_the_socket_before_the_bind_not_by_name_afterwards()
    {
        var dir = Directory.CreateTempSubdirectory("ll-sock-").FullName;
        _scratch.Add(dir);
        var path = Path.Combine(dir, "h1");

        // 0700 is no mode the umask (022 in the tests, as in lonc) would give a socket: it comes from the descriptor.
        using var socket = SocketFile.Listen(path, backlog: 4, mode: 0x1C0);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        Assert.Equal(FileKind.Socket, FileNode.OfName(path, out _)?.Kind);
    }

    /// <summary>A listening socket of "another daemon" in a directory of its own.</summary>
    private Socket OtherDaemonSocket(out string path)
    {
        var dir = Directory.CreateTempSubdirectory("ll-other-").FullName;
        _scratch.Add(dir);
        path = Path.Combine(dir, "daemon.sock");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(1);
        return socket;
    }

    private static void Chown(string user, string path)
    {
        var (exit, output, errors) = ExternalProgram.Run("chown", new[] { "-h", user, path });
        Assert.True(exit == 0, output + errors);
    }

    public void Dispose()
    {
        foreach (var dir in _scratch)
            Directory.Delete(dir, recursive: true);
    }
}
