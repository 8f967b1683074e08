namespace LegacyLonc.Posix;

/// <summary>The Linux errno values lonc tests for (x86-64 and arm64 share them), defined once.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ERANGE = 34;
    public const int ELOOP = 40;
    public const int EINPROGRESS = 115;
}
