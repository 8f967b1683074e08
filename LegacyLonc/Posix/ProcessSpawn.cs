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
/// log or socket descriptor of the parent leaks into it — plus, when the caller passes one, a single
/// descriptor placed on 3 (the parent's report pipe, see <c>Child.ParentChannel</c>).
/// </remarks>
public static class ProcessSpawn
{
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSID = 0x80;
    // Generous upper bounds of glibc's posix_spawnattr_t (336 bytes) and posix_spawn_file_actions_t (80).
    private const int AttrBytes = 1024;
    private const int FileActionsBytes = 512;

    /// <summary>Where <see cref="Start"/> puts the descriptor it is asked to pass on.</summary>
    public const int PassedDescriptor = 3;

    /// <summary>The signals reset to their default action in every spawned image (1–31 but KILL and STOP).</summary>
    public static IReadOnlyList<int> DefaultedSignals { get; } =
        Enumerable.Range(1, 31).Where(s => s is not (Signals.Kill or Signals.Stop)).ToArray();

    /// <summary>
    /// Spawns <paramref name="argv"/>[0] with <paramref name="argv"/> and the current environment;
    /// in a new session (setsid) when <paramref name="newSession"/>, with <paramref name="passFd"/> (if given)
    /// as its descriptor <see cref="PassedDescriptor"/>. Returns the child's pid.
    /// Throws <see cref="IOException"/> naming the program and the error.
    /// </summary>
    /// <remarks><paramref name="passFd"/> must not be 3 itself: dup2 onto the same number would keep its close-on-exec flag.</remarks>
    public static unsafe int Start(IReadOnlyList<string> argv, bool newSession, int? passFd = null)
    {
        if (passFd is PassedDescriptor or < 0)
            throw new ArgumentOutOfRangeException(nameof(passFd), passFd, "the descriptor to pass must be open and not 3 itself");
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
            if (passFd is { } fd)
                Check(Libc.PosixSpawnFileActionsAdddup2(actions, fd, PassedDescriptor), "posix_spawn_file_actions_adddup2", argv[0]);
            // The actions run in order: the passed descriptor is on 3 before everything from 3 (or 4) up is closed.
            Check(Libc.PosixSpawnFileActionsAddclosefrom(actions, passFd is null ? PassedDescriptor : PassedDescriptor + 1),
                "posix_spawn_file_actions_addclosefrom_np", argv[0]);

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
