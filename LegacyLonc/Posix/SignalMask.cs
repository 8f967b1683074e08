using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// The calling thread's signal mask (pthread_sigmask), and the sigset_t buffers posix_spawn takes.
/// </summary>
/// <remarks>
/// The mask is what carries signals across execve(2): a signal blocked in the exec'ing thread stays
/// pending in the new image until that image unblocks it, where an unblocked one would hit the
/// default action (terminate) before the new image has registered a handler.
/// </remarks>
public static class SignalMask
{
    private const int SIG_BLOCK = 0;
    private const int SIG_UNBLOCK = 1;
    private const int SIG_SETMASK = 2;
    // glibc's sigset_t is 1024 bits.
    internal const int SigSetBytes = 128;

    /// <summary>Blocks <paramref name="signals"/> in the calling thread.</summary>
    public static void Block(params int[] signals) => Change(SIG_BLOCK, signals);

    /// <summary>Unblocks <paramref name="signals"/> in the calling thread; pending ones are delivered now.</summary>
    public static void Unblock(params int[] signals) => Change(SIG_UNBLOCK, signals);

    /// <summary>Unblocks every signal in the calling thread.</summary>
    public static void Clear() => Change(SIG_SETMASK, Array.Empty<int>());

    /// <summary>The signals blocked in the calling thread, from /proc/thread-self/status (SigBlk).</summary>
    public static IReadOnlyList<int> Blocked()
    {
        var line = File.ReadLines("/proc/thread-self/status").First(l => l.StartsWith("SigBlk:", StringComparison.Ordinal));
        var bits = Convert.ToUInt64(line["SigBlk:".Length..].Trim(), 16);
        var result = new List<int>();
        for (var sig = 1; sig <= 64; sig++)
            if ((bits & (1UL << (sig - 1))) != 0)
                result.Add(sig);
        return result;
    }

    /// <summary>Allocates a sigset_t holding <paramref name="signals"/>; free with Marshal.FreeHGlobal.</summary>
    internal static IntPtr AllocSet(IEnumerable<int> signals)
    {
        var set = Marshal.AllocHGlobal(SigSetBytes);
        Libc.SigEmptySet(set);
        foreach (var s in signals)
            Libc.SigAddSet(set, s);
        return set;
    }

    private static void Change(int how, int[] signals)
    {
        var set = AllocSet(signals);
        try
        {
            // pthread_sigmask returns the error number instead of setting errno.
            var rc = Libc.PthreadSigmask(how, set, IntPtr.Zero);
            if (rc != 0)
                throw new SystemCallException("pthread_sigmask", string.Join(",", signals.Select(Signals.Name)), rc);
        }
        finally
        {
            Marshal.FreeHGlobal(set);
        }
    }
}
