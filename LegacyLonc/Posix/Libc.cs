using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Every libc function lonc calls, declared once, as source-generated stubs (<c>LibraryImport</c>): they need no
/// run-time marshalling, so they cost nothing at start-up and compile ahead of time into the native executable.
/// </summary>
/// <remarks>
/// Only the types of this folder call them; the rest of lonc goes through those types (<see cref="Signals"/>,
/// <see cref="RawFile"/>, <see cref="FileLock"/>, <see cref="ProcessWait"/>, <see cref="ReportPipe"/>, …), which retry
/// EINTR and turn errno into lonc's own words (<see cref="SystemErrorText"/>). Numbers are Linux's (x86-64 and arm64
/// share them); signal and errno numbers live in <see cref="Signals"/> and <see cref="Errno"/>. The account
/// database is the one part of libc lonc reaches through Mono.Posix instead (<see cref="UnixAccount"/>).
/// </remarks>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    // ---- processes and signals
    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Library, EntryPoint = "getppid")]
    internal static partial int GetParentPid();

    [LibraryImport(Library, EntryPoint = "gettid")]
    internal static partial int GetThreadId();

    [LibraryImport(Library, EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUid();

    [LibraryImport(Library, EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Library, EntryPoint = "umask")]
    internal static partial int Umask(int mask);

    [LibraryImport(Library, EntryPoint = "signal")]
    internal static partial nint Signal(int signal, nint handler);

    [LibraryImport(Library, EntryPoint = "sigaction")]
    internal static partial int SigAction(int signal, byte* action, byte* oldAction);

    // pthread_sigmask returns the error number instead of setting errno.
    [LibraryImport(Library, EntryPoint = "pthread_sigmask")]
    internal static partial int PthreadSigmask(int how, nint set, nint oldSet);

    [LibraryImport(Library, EntryPoint = "sigemptyset")]
    internal static partial int SigEmptySet(nint set);

    [LibraryImport(Library, EntryPoint = "sigaddset")]
    internal static partial int SigAddSet(nint set, int signal);

    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int GetRlimit(int resource, ulong* limit);

    // ---- new images. posix_spawn* return the error number themselves (errno is not set).
    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, nint path, nint fileActions, nint attr, nint argv, nint envp);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_init")]
    internal static partial int PosixSpawnattrInit(nint attr);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int PosixSpawnattrDestroy(nint attr);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int PosixSpawnattrSetflags(nint attr, short flags);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int PosixSpawnattrSetsigmask(nint attr, nint set);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int PosixSpawnattrSetsigdefault(nint attr, nint set);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int PosixSpawnFileActionsInit(nint actions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int PosixSpawnFileActionsDestroy(nint actions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    internal static partial int PosixSpawnFileActionsAddclosefrom(nint actions, int from);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int PosixSpawnFileActionsAdddup2(nint actions, int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "execve", SetLastError = true)]
    internal static partial int Execve(nint path, nint argv, nint envp);

    [LibraryImport(Library, EntryPoint = "close_range", SetLastError = true)]
    internal static partial int CloseRange(uint first, uint last, uint flags);

    // ---- descriptors and files
    // open(2) is variadic in C; on Linux x86-64 and arm64 the mode is passed exactly as a fixed third int.
    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Rename(string from, string to);

    [LibraryImport(Library, EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Unlink(string path);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "pwrite", SetLastError = true)]
    internal static partial nint Pwrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int Ftruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    // ---- sockets
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Library, EntryPoint = "connect", SetLastError = true)]
    internal static partial int Connect(int fd, byte* address, int length);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(int fd, int level, int name, int* value, int* length);

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    internal const short POLLIN = 1, POLLOUT = 4;

    // fcntl and open flags (generic Linux values, x86-64 and arm64 alike).
    internal const int F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    internal const int O_RDONLY = 0, O_WRONLY = 0x1, O_RDWR = 0x2, O_CREAT = 0x40, O_EXCL = 0x80, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    internal const int O_NOCTTY = 0x100;

    // O_NOFOLLOW is one of the few open flags whose value differs: arm64 uses the generic 0100000, x86-64 0400000.
    internal static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;
}
