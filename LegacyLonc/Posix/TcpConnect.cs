using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// A TCP connect whose wait belongs to the caller: socket(2) non-blocking, connect(2), poll(2) in slices the caller
/// chooses, then the descriptor is made blocking again and handed to .NET as a connected <see cref="Socket"/>.
/// </summary>
/// <remarks>
/// <para>.NET's <see cref="Socket.Connect(EndPoint)"/> has no deadline, and a timer that closes the socket races the
/// connect's completion (it can close a socket already handed out). Here one thread does everything, so nothing
/// can touch the socket after <see cref="Finish"/> returned it.</para>
/// <para>Why not <c>Socket.Blocking = false</c>: .NET never makes such a socket blocking at the OS level again and
/// emulates every later blocking call through its epoll thread. A descriptor that is blocking when it is wrapped
/// is used with plain blocking syscalls (checked with strace: no epoll_ctl, SO_RCVTIMEO honoured).</para>
/// </remarks>
public sealed class TcpConnect : IDisposable
{
    private const int SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    private const int SOL_SOCKET = 1, SO_ERROR = 4;

    private int _fd;

    private TcpConnect(int fd) => _fd = fd;

    /// <summary>Starts connecting to <paramref name="endpoint"/>; null (and a reason) when that failed at once.</summary>
    public static unsafe TcpConnect? Start(IPEndPoint endpoint, out string error)
    {
        var address = endpoint.Serialize();
        var fd = Libc.Socket((int)endpoint.AddressFamily, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            error = Describe(Marshal.GetLastPInvokeError());
            return null;
        }
        int rc;
        // .NET's serialised socket address is the kernel's sockaddr (family in host byte order first).
        fixed (byte* p = address.Buffer.Span)
            rc = Libc.Connect(fd, p, address.Size);
        var errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (rc != 0 && errno != Errno.EINPROGRESS && errno != Errno.EINTR)
        {
            Libc.Close(fd);
            error = Describe(errno);
            return null;
        }
        error = "";
        return new TcpConnect(fd);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (0: just looks) for the connect to finish, either way; true once it has.</summary>
    public unsafe bool Wait(int timeoutMs)
    {
        var pfd = new Libc.PollFd { Fd = _fd, Events = Libc.POLLOUT };
        return Libc.Poll(&pfd, 1, Math.Max(0, timeoutMs)) > 0;
    }

    /// <summary>
    /// After <see cref="Wait"/> returned true: the connected, blocking socket (ownership passes to the caller), or null
    /// and the reason the connect failed (the descriptor is then closed).
    /// </summary>
    public unsafe Socket? Finish(out string error)
    {
        var soError = 0;
        var length = sizeof(int);
        if (Libc.GetSockOpt(_fd, SOL_SOCKET, SO_ERROR, &soError, &length) != 0)
            soError = Marshal.GetLastPInvokeError();
        var flags = soError == 0 ? Libc.Fcntl(_fd, Libc.F_GETFL, 0) : -1;
        if (soError == 0 && (flags < 0 || Libc.Fcntl(_fd, Libc.F_SETFL, flags & ~Libc.O_NONBLOCK) != 0))
            soError = Marshal.GetLastPInvokeError();
        if (soError != 0)
        {
            error = Describe(soError);
            Dispose();
            return null;
        }
        error = "";
        var socket = new Socket(new SafeSocketHandle((IntPtr)_fd, ownsHandle: true));
        _fd = -1;
        return socket;
    }

    private static string Describe(int errno) => SystemErrorText.Errno(errno) ?? $"error {errno}";

    /// <summary>Abandons a connect that has not been finished (closes the descriptor).</summary>
    public void Dispose()
    {
        if (_fd >= 0)
            Libc.Close(_fd);
        _fd = -1;
    }
}
