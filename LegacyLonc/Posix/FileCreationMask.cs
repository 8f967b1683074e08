namespace LegacyLonc.Posix;

/// <summary>
/// The process's umask. lonc sets its own (022) at start, in the parent and in every child, so the modes
/// of what it creates do not depend on the launcher: under an inherited <c>umask 000</c> the pid file came
/// out <c>-rw-rw-rw-</c> and <c>lon-status/</c> <c>drwxrwxrwx</c>. Files are created with explicit modes too;
/// the mask is the second line of defence for what a library creates.
/// </summary>
public static class FileCreationMask
{
    /// <summary>022: group and others may read and search, never write.</summary>
    public const int Daemon = 0x12;

    /// <summary>Sets the umask to <see cref="Daemon"/>; returns the inherited one.</summary>
    public static int SetDaemonMask() => Libc.Umask(Daemon);
}
