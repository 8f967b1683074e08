namespace LegacyLonc.Posix;

/// <summary>This process's descriptor budget: RLIMIT_NOFILE and how many descriptors are open.</summary>
public static class DescriptorLimit
{
    private const int RLIMIT_NOFILE = 7;

    /// <summary>The soft RLIMIT_NOFILE (after .NET raised it to the hard limit at start-up); int.MaxValue when unlimited or unknown.</summary>
    public static unsafe int Soft()
    {
        // struct rlimit: the soft (current) limit, then the hard one.
        var limit = stackalloc ulong[2];
        if (Libc.GetRlimit(RLIMIT_NOFILE, limit) != 0 || limit[0] > int.MaxValue)
            return int.MaxValue;
        return (int)limit[0];
    }

    /// <summary>Descriptors open right now (entries of /proc/self/fd, less the one the listing itself uses); 0 when unknown.</summary>
    public static int OpenCount()
    {
        try
        {
            return Math.Max(0, Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() - 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
