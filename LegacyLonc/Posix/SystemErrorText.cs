using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Says in lonc's own words why a file or socket operation failed. lonc is built with
/// <c>UseSystemResourceKeys</c> (it keeps the executable small), so .NET's exception messages are bare
/// resource keys such as <c>IO_PathNotFound_Path</c>; no administrator should ever read one. The reason is
/// taken from the exception's type, or from the errno it carries, through strerror(3).
/// </summary>
public static class SystemErrorText
{
    // errno values are small positive numbers; .NET keeps the raw errno as HResult of the IOExceptions it
    // builds from one, and other HResults are negative COR_E_* codes.
    private const int MaxErrno = 4095;

    /// <summary>
    /// A short lower-case reason, e.g. <c>no such directory</c> or <c>permission denied</c>; for lonc's own
    /// <see cref="SystemCallException"/> its whole text (call, subject and reason).
    /// </summary>
    public static string Of(Exception e) => e switch
    {
        SystemCallException own => own.Message,
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        PathTooLongException => "path too long",
        // .NET maps EACCES, EPERM and EBADF to this type and keeps no errno.
        UnauthorizedAccessException => "permission denied",
        SocketException s => Errno(s.NativeErrorCode) ?? $"socket error {s.SocketErrorCode}",
        // A type named in a configuration file (log4net's appenders and layouts) that does not exist.
        TypeLoadException t => string.IsNullOrEmpty(t.TypeName) ? "no such type" : $"no such type {t.TypeName}",
        IOException io => Errno(io.HResult) ?? "input/output error",
        // A library's own exception (log4net's LogException…) carries that library's words, not a resource key.
        _ when e.GetType().Assembly != typeof(object).Assembly && !(e.GetType().Namespace ?? "").StartsWith("System", StringComparison.Ordinal)
            => e.Message,
        _ => $"unexpected {e.GetType().Name}",
    };

    /// <summary>strerror(<paramref name="errno"/>) with a lower-case first letter; null when it is no errno.</summary>
    public static string? Errno(int errno)
    {
        if (errno is <= 0 or > MaxErrno)
            return null;
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return string.IsNullOrEmpty(text) ? $"error {errno}" : char.ToLowerInvariant(text[0]) + text[1..];
    }
}
