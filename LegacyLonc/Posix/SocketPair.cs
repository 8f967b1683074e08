using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>A connected pair of AF_UNIX stream sockets (socketpair(2)) wrapped as .NET sockets.</summary>
public static class SocketPair
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;

    public static unsafe (Socket, Socket) Create()
    {
        var fds = stackalloc int[2];
        if (Libc.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            throw new SocketException(Marshal.GetLastPInvokeError());
        return (new Socket(new SafeSocketHandle((IntPtr)fds[0], ownsHandle: true)),
                new Socket(new SafeSocketHandle((IntPtr)fds[1], ownsHandle: true)));
    }
}
