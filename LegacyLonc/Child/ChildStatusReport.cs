using System.Runtime.InteropServices;
using System.Text;
using LegacyLonc.Logging;
using Mono.Unix.Native;

namespace LegacyLonc.Child;

/// <summary>
/// A child's answer to USR1 (1.53's <c>logstatus</c>): appends <c>&lt;pid&gt;\t&lt;host&gt;\t&lt;status&gt;\t&lt;last log line&gt;</c>
/// to <c>&lt;lonDocRoot&gt;/lon-status/loncstatus.txt</c>, under an exclusive flock so lines from many children
/// never interleave, through one O_APPEND write.
/// </summary>
public static class ChildStatusReport
{
    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    private const int LOCK_EX = 2;

    /// <summary>The status line for this process, newline included.</summary>
    public static string Line(string host, LoncLog log) =>
        $"{Environment.ProcessId}\t{host}\t{log.CurrentStatus}\t{log.LastLog}\n";

    /// <summary>
    /// Environment variable naming a file that also receives, on USR1, this child's allocation and GC counters
    /// (<c>pid host requests allocated_bytes gen0 gen1 gen2</c>): the benchmark's view of the hot path. Unset in production.
    /// </summary>
    public const string DebugStatsVariable = "LONC_DEBUG_STATS";

    /// <summary>Appends the line; failures are logged, never thrown.</summary>
    public static void Append(string statusFile, string host, LoncLog log, long requestsHandled = 0)
    {
        AppendLocked(statusFile, Line(host, log), log);
        var debugFile = Environment.GetEnvironmentVariable(DebugStatsVariable);
        if (!string.IsNullOrEmpty(debugFile))
        {
            AppendLocked(debugFile,
                $"{Environment.ProcessId} {host} {requestsHandled} {GC.GetTotalAllocatedBytes(precise: true)} " +
                $"{GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}\n", log);
        }
    }

    private static void AppendLocked(string statusFile, string text, LoncLog log)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var fd = Syscall.open(statusFile, OpenFlags.O_WRONLY | OpenFlags.O_APPEND | OpenFlags.O_CREAT | OpenFlags.O_CLOEXEC,
            FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP | FilePermissions.S_IROTH);
        if (fd < 0)
        {
            log.Log(LogColor.Blue, $"WARNING: Can't write status to {statusFile}: errno {Marshal.GetLastPInvokeError()}");
            return;
        }
        try
        {
            flock(fd, LOCK_EX);
            unsafe
            {
                fixed (byte* p = bytes)
                {
                    var written = Syscall.write(fd, p, (ulong)bytes.Length);
                    if (written != bytes.Length)
                        log.Log(LogColor.Blue, $"WARNING: Short write of status to {statusFile}");
                }
            }
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
