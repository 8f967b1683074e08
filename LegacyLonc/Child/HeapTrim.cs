namespace LegacyLonc.Child;

/// <summary>
/// Gives the memory of buffers that grew for one oversized line back to the operating system. Such buffers live
/// in the large object heap, which only a full collection frees, and the GC keeps freed regions committed: after
/// ten 17 MiB reply floods a child stayed at 224 MiB even with its buffers shrunk. Once a buffer of
/// <see cref="LargeBuffer"/> or more has been let go, the next loop turn runs one aggressive (decommitting)
/// collection: about a millisecond for a child's few MiB of live heap, paid only after a line of a MiB or more.
/// </summary>
public static class HeapTrim
{
    /// <summary>A dropped buffer at least this big (1 MiB) makes the next <see cref="TrimIfDue"/> collect.</summary>
    public const int LargeBuffer = 1 << 20;

    private static bool _due;

    /// <summary>Notes that a buffer of <paramref name="bytes"/> was let go (only the main loop's thread calls this).</summary>
    public static void Released(long bytes)
    {
        if (bytes >= LargeBuffer)
            _due = true;
    }

    /// <summary>Collects and decommits when a large buffer was let go since the last time; true when it did.</summary>
    public static bool TrimIfDue()
    {
        if (!_due)
            return false;
        _due = false;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
