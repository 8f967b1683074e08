using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// The Linux signal numbers lonc uses (x86-64 and arm64 share them), defined once, their names, and kill(2).
/// </summary>
public static class Signals
{
    public const int Hup = 1;
    public const int Int = 2;
    public const int Quit = 3;
    public const int Kill = 9;
    public const int Usr1 = 10;
    public const int Usr2 = 12;
    public const int Pipe = 13;
    public const int Term = 15;
    public const int Chld = 17;
    public const int Stop = 19;

    /// <summary>The Linux name of a signal number, or <c>SIG&lt;n&gt;</c>.</summary>
    public static string Name(int signo) => signo switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT",
        7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1", 11 => "SIGSEGV", 12 => "SIGUSR2",
        13 => "SIGPIPE", 14 => "SIGALRM", 15 => "SIGTERM", 17 => "SIGCHLD", 19 => "SIGSTOP", 24 => "SIGXCPU",
        25 => "SIGXFSZ",
        _ => $"SIG{signo}",
    };

    /// <summary>kill(<paramref name="pid"/>, <paramref name="signo"/>): 0 when sent, otherwise the errno.</summary>
    public static int Send(int pid, int signo) => Libc.Kill(pid, signo) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Whether <paramref name="pid"/> exists (kill 0); a process of another user (EPERM) exists too.
    /// </summary>
    public static bool ProcessExists(int pid) => Send(pid, 0) is 0 or Errno.EPERM;
}
