using System.Globalization;

namespace LegacyLonc.Posix;

/// <summary>
/// No orphans: a child learns of its parent's death from the kernel (prctl PR_SET_PDEATHSIG = SIGTERM), so
/// after a <c>kill -9</c> of the parent each child takes its ordinary INT/TERM path (close the lond link,
/// remove its socket, exit 0) instead of running on under init, holding its link and a socket path the next
/// lonc's children want.
/// </summary>
/// <remarks>
/// <para>The parent names itself in <see cref="Variable"/> of its environment, which every child inherits
/// through posix_spawn; a <c>--child</c> started by hand has no such variable and is not tied to its shell.</para>
/// <para>The parent may die before the child arms the signal; the kernel then never sends it. So right after
/// arming, getppid() is compared with the pid the parent announced: a different one means the child has
/// already been reparented and must not start.</para>
/// <para>The death signal fires when the <em>thread</em> that spawned the child ends, not the process. The
/// parent spawns every child from its main thread (the loop in Supervisor runs on Main's thread, which lives
/// as long as the process), and the HUP restart execs from that thread too, keeping the pid; a child spawned
/// from a pool thread would get SIGTERM whenever the pool retired that thread.</para>
/// </remarks>
public static class ParentDeath
{
    /// <summary>The environment variable holding the pid of the lonc parent that spawned this process.</summary>
    public const string Variable = "LONC_PARENT_PID";

    private const int PR_SET_PDEATHSIG = 1;

    /// <summary>In the parent: names this process as the parent of every child spawned from now on.</summary>
    public static void Announce() =>
        Environment.SetEnvironmentVariable(Variable, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The parent pid announced to this process, or null when it was not spawned by a lonc parent.</summary>
    public static int? AnnouncedParent() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1
            ? pid
            : null;

    /// <summary>
    /// In a child: asks for SIGTERM when the announced parent dies. False when that parent is already gone
    /// (the child must exit at once); true when it is alive or when no parent was announced.
    /// </summary>
    public static bool Watch()
    {
        if (AnnouncedParent() is not { } parent)
            return true;
        // Best effort: a kernel that refused would leave us where 1.53 was; the getppid check still holds.
        Libc.Prctl(PR_SET_PDEATHSIG, Signals.Term, 0, 0, 0);
        return Libc.GetParentPid() == parent;
    }
}
