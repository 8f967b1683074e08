using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// How many clients a child may hold: the descriptor limit (RLIMIT_NOFILE) less what the child had open when its
/// loop started, less a reserve of <see cref="Reserve"/>. The reserve is what the child itself still needs while
/// full: lonc.log is opened anew for every line (the line saying the child is full among them), USR1 opens the
/// status file, a re-opened link and the delayed spool take a few, and .NET loads assemblies lazily at two
/// descriptors each. Without it, 200 idle clients under <c>ulimit -n 128</c> left no descriptor for the warning,
/// and the runtime aborted ("Out of memory").
/// </summary>
public sealed record DescriptorReserve(int Limit, int InUse)
{
    /// <summary>Descriptors kept free for the child's own work.</summary>
    public const int Reserve = 32;

    /// <summary>The most clients connected at once (at least one).</summary>
    public int MaxClients => (int)Math.Clamp((long)Limit - InUse - Reserve, 1, int.MaxValue);

    /// <summary>This process's limit and the descriptors open now.</summary>
    public static DescriptorReserve Measure() => new(DescriptorLimit.Soft(), DescriptorLimit.OpenCount());
}
