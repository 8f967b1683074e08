using System.Text;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// A child's answer to USR1 (1.53's <c>logstatus</c>): appends <c>&lt;pid&gt;\t&lt;host&gt;\t&lt;status&gt;\t&lt;last log line&gt;</c>
/// to <c>&lt;lonDocRoot&gt;/lon-status/loncstatus.txt</c>, under an exclusive flock so lines from many children
/// never interleave, through one O_APPEND write.
/// </summary>
public static class ChildStatusReport
{
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
        // No link followed and no FIFO waited on: lon-status/ is served by Apache, and a name planted there must not
        // choose what lonc appends to (the parent replaces the report by rename; see StatusReport).
        var fd = RawFile.Open(statusFile,
            RawFile.WriteOnly | RawFile.Append | RawFile.Create | RawFile.CloseOnExec | RawFile.NoFollow | RawFile.NonBlocking,
            RawFile.ReadableByAll, out var errno);
        if (fd < 0)
        {
            var why = errno == Errno.ELOOP ? "it is a symbolic link, which lonc does not follow" : SystemErrorText.Errno(errno);
            log.Warning($"Can't write status to {statusFile}: {why}");
            return;
        }
        try
        {
            if (FileNode.OfDescriptor(fd, out _) is not { Kind: FileKind.Regular })
            {
                log.Warning($"Can't write status to {statusFile}: it is not a regular file");
                return;
            }
            // Without the lock the line still goes whole (one O_APPEND write), only maybe before the parent's header.
            FileLock.Exclusive(fd);
            if (RawFile.WriteAll(fd, Encoding.UTF8.GetBytes(text), out _) is not 0 and var failed)
                log.Warning($"Short write of status to {statusFile}: {SystemErrorText.Errno(failed)}");
        }
        finally
        {
            RawFile.Close(fd);
        }
    }
}
