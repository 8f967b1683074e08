namespace LegacyLonc.Child;

/// <summary>
/// Gives the memory of buffers that grew for one oversized line back to the operating system. Such buffers live
/// in the large object heap, which only a full collection frees, and the GC keeps freed regions committed: after
/// ten 16 MiB reply floods a child stayed at 280 MiB. Once a MiB or more of them has been let go, the next loop turn
/// runs one aggressive (decommitting) collection; a child's live heap is a few MiB, so that costs milliseconds.
/// </summary>
public static class HeapTrim
{
    /// <summary>Bytes of dropped large buffers that make the next <see cref="TrimIfDue"/> collect.</summary>
    public const long Threshold = 1 << 20;

    private static long _released;

    /// <summary>Notes that a buffer of <paramref name="bytes"/> was let go (only the main loop's thread calls this).</summary>
    public static void Released(long bytes)
    {
        if (bytes > Limits.KeepBufferUpTo)
            _released += bytes;
    }

    /// <summary>Collects and decommits when enough was let go since the last time; true when it did.</summary>
    public static bool TrimIfDue()
    {
        if (_released < Threshold)
            return false;
        _released = 0;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
