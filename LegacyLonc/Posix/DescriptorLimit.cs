using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>This process's descriptor budget: RLIMIT_NOFILE and how many descriptors are open.</summary>
public static class DescriptorLimit
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out Rlimit limit);

    private const int RLIMIT_NOFILE = 7;

    /// <summary>The soft RLIMIT_NOFILE (after .NET raised it to the hard limit at start-up); int.MaxValue when unlimited or unknown.</summary>
    public static int Soft()
    {
        if (getrlimit(RLIMIT_NOFILE, out var limit) != 0 || limit.Current > int.MaxValue)
            return int.MaxValue;
        return (int)limit.Current;
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
