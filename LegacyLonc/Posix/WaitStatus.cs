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
            return $"signal {TermSignal} ({Signals.Name(TermSignal)}{(CoreDumped ? ", core dumped" : "")})";
        return $"status 0x{Raw:x}";
    }
}
