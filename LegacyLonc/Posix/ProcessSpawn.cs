using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Starts a new program image with posix_spawn(3): the only way a .NET process may create a child,
/// because no managed code can run between a fork and an exec (platform notes §2, §3).
/// </summary>
/// <remarks>
/// Every child starts with an empty signal mask and default dispositions for the catchable signals
/// (POSIX_SPAWN_SETSIGMASK | SETSIGDEF), so neither a mask left by a HUP restart nor an inherited
/// SIG_IGN reaches it, and with only descriptors 0–2 open (addclosefrom_np, glibc ≥ 2.34), so no
/// log or socket descriptor of the parent leaks into it — plus the descriptors the caller passes, placed
/// on 3, 4, … in order (a child gets the parent's report pipe on 3, see <c>Reports.ParentChannel</c>, and its
/// configuration on 4, see <c>Configuration.ConfigSnapshot</c>).
/// </remarks>
public static class ProcessSpawn
{
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSID = 0x80;
    // Generous upper bounds of glibc's posix_spawnattr_t (336 bytes) and posix_spawn_file_actions_t (80).
    private const int AttrBytes = 1024;
    private const int FileActionsBytes = 512;

    /// <summary>Where <see cref="Start"/> puts the first descriptor it is asked to pass on (the next go on 4, 5, …).</summary>
    public const int PassedDescriptor = 3;

    /// <summary>The signals reset to their default action in every spawned image (1–31 but KILL and STOP).</summary>
    public static IReadOnlyList<int> DefaultedSignals { get; } =
        Enumerable.Range(1, 31).Where(s => s is not (Signals.Kill or Signals.Stop)).ToArray();

    /// <summary>
    /// Spawns <paramref name="argv"/>[0] with <paramref name="argv"/> and the current environment;
    /// in a new session (setsid) when <paramref name="newSession"/>, with <paramref name="passFds"/> (if any)
    /// as its descriptors <see cref="PassedDescriptor"/>, <see cref="PassedDescriptor"/> + 1, …. Returns the child's pid.
    /// Throws <see cref="IOException"/> naming the program and the error.
    /// </summary>
    /// <remarks>
    /// No passed descriptor may itself lie in the range it is placed on: dup2 onto the same number would keep its
    /// close-on-exec flag, and an earlier dup2 would overwrite it.
    /// </remarks>
    public static unsafe int Start(IReadOnlyList<string> argv, bool newSession, params int[] passFds)
    {
        var firstFree = PassedDescriptor + passFds.Length;
        foreach (var passFd in passFds)
        {
            if (passFd < 0 || (passFd >= PassedDescriptor && passFd < firstFree))
                throw new ArgumentOutOfRangeException(nameof(passFds), passFd,
                    $"a descriptor to pass must be open and outside {PassedDescriptor}..{firstFree - 1}");
        }
        if (argv.Count == 0)
            throw new ArgumentException("argv needs at least the program path", nameof(argv));

        using var args = new NativeStringArray(argv);
        using var env = NativeStringArray.FromEnvironment();
        var path = Marshal.StringToCoTaskMemUTF8(argv[0]);
        var attr = Marshal.AllocHGlobal(AttrBytes);
        var actions = Marshal.AllocHGlobal(FileActionsBytes);
        var emptyMask = SignalMask.AllocSet(Array.Empty<int>());
        var defaulted = SignalMask.AllocSet(DefaultedSignals);
        var attrReady = false;
        var actionsReady = false;
        try
        {
            Check(Libc.PosixSpawnattrInit(attr), "posix_spawnattr_init", argv[0]);
            attrReady = true;
            var flags = (short)(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (newSession ? POSIX_SPAWN_SETSID : 0));
            Check(Libc.PosixSpawnattrSetflags(attr, flags), "posix_spawnattr_setflags", argv[0]);
            Check(Libc.PosixSpawnattrSetsigmask(attr, emptyMask), "posix_spawnattr_setsigmask", argv[0]);
            Check(Libc.PosixSpawnattrSetsigdefault(attr, defaulted), "posix_spawnattr_setsigdefault", argv[0]);
            Check(Libc.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init", argv[0]);
            actionsReady = true;
            for (var i = 0; i < passFds.Length; i++)
                Check(Libc.PosixSpawnFileActionsAdddup2(actions, passFds[i], PassedDescriptor + i), "posix_spawn_file_actions_adddup2", argv[0]);
            // The actions run in order: the passed descriptors are in place before everything above them is closed.
            Check(Libc.PosixSpawnFileActionsAddclosefrom(actions, firstFree), "posix_spawn_file_actions_addclosefrom_np", argv[0]);

            // posix_spawn returns the error number itself (errno is not set).
            int pid;
            Check(Libc.PosixSpawn(&pid, path, actions, attr, args.Pointer, env.Pointer), "posix_spawn", argv[0]);
            return pid;
        }
        finally
        {
            if (actionsReady)
                Libc.PosixSpawnFileActionsDestroy(actions);
            if (attrReady)
                Libc.PosixSpawnattrDestroy(attr);
            Marshal.FreeHGlobal(defaulted);
            Marshal.FreeHGlobal(emptyMask);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeCoTaskMem(path);
        }
    }

    private static void Check(int rc, string what, string program)
    {
        if (rc != 0)
            throw new SystemCallException(what, program, rc);
    }
}
