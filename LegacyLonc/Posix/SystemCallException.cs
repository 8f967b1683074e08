namespace LegacyLonc.Posix;

/// <summary>
/// A system call that failed, in lonc's own words: <c>&lt;call&gt; &lt;subject&gt;: &lt;strerror&gt;</c>, e.g.
/// <c>open /home/httpd/html/lon-status/loncstatus.txt: permission denied</c>. The errno is kept as
/// <see cref="Exception.HResult"/>, as .NET does for the IOExceptions it builds from one.
/// </summary>
public sealed class SystemCallException : IOException
{
    public SystemCallException(string call, string subject, int errno)
        : base($"{call} {subject}: {SystemErrorText.Errno(errno) ?? "unknown error"}", errno)
    {
        Errno = errno;
    }

    /// <summary>The errno of the failed call.</summary>
    public int Errno { get; }
}
