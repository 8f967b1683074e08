namespace LegacyLonc.Posix;

/// <summary>A raw waitpid(2) status, decoded as the W* macros of Linux do.</summary>
public readonly record struct WaitStatus(int Raw)
{
    /// <summary>WIFEXITED: the process called exit.</summary>
    public bool Exited => (Raw & 0x7f) == 0;
    /// <summary>WEXITSTATUS.</summary>
    public int ExitCode => (Raw >> 8) & 0xff;
    /// <summary>WIFSIGNALED: a signal ended the process.</summary>
    public bool Signaled => (Raw & 0x7f) != 0 && (Raw & 0x7f) != 0x7f;
    /// <summary>WTERMSIG.</summary>
    public int TermSignal => Raw & 0x7f;
    /// <summary>WCOREDUMP.</summary>
    public bool CoreDumped => (Raw & 0x80) != 0;

    /// <summary><c>exit status 3</c>, <c>signal 9 (SIGKILL)</c>, <c>signal 6 (SIGABRT, core dumped)</c>.</summary>
    public override string ToString()
    {
        if (Exited)
            return $"exit status {ExitCode}";
        if (Signaled)
            return $"signal {TermSignal} ({SignalName(TermSignal)}{(CoreDumped ? ", core dumped" : "")})";
        return $"status 0x{Raw:x}";
    }

    /// <summary>The Linux name of a signal number, or <c>SIG&lt;n&gt;</c>.</summary>
    public static string SignalName(int signo) => signo switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT",
        7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1", 11 => "SIGSEGV", 12 => "SIGUSR2",
        13 => "SIGPIPE", 14 => "SIGALRM", 15 => "SIGTERM", 17 => "SIGCHLD", 24 => "SIGXCPU", 25 => "SIGXFSZ",
        _ => $"SIG{signo}",
    };
}
