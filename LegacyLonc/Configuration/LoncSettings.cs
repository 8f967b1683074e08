namespace LegacyLonc.Configuration;

/// <summary>
/// The effective configuration of lonc: the <c>PerlSetVar</c> values it uses from
/// <c>loncapa_apache.conf</c> and <c>loncapa.conf</c>, with the 1.53 defaults for the optional knobs.
/// </summary>
public sealed record LoncSettings
{
    public required string LonHostId { get; init; }
    public required int LondPort { get; init; }
    public required string LonSockDir { get; init; }
    public required string LonDaemons { get; init; }
    public required string LonTabDir { get; init; }
    public required string LonDocRoot { get; init; }

    /// <summary><c>loncChildMaxAttempts</c>: restarts per host before it is skipped (1.53: 5).</summary>
    public int ChildMaxAttempts { get; init; } = 5;
    /// <summary><c>loncFailSleepMin</c>: seconds a failed child sleeps at least before exiting (1.53: 120).</summary>
    public int FailSleepMin { get; init; } = 120;
    /// <summary><c>loncFailSleepSpread</c>: random extra seconds, 0..spread-1 (1.53: 240).</summary>
    public int FailSleepSpread { get; init; } = 240;
    /// <summary><c>loncPongDelay</c>: seconds between <c>version:</c> and <c>pong</c> (1.53: sleep 5).</summary>
    public int PongDelay { get; init; } = 5;
    /// <summary><c>loncInitTimeout</c>: seconds per handshake / replay transaction (1.53: 60).</summary>
    public int InitTimeout { get; init; } = 60;
    /// <summary><c>loncRequestTimeout</c>: seconds per relayed request (1.53: 300).</summary>
    public int RequestTimeout { get; init; } = 300;
    /// <summary>
    /// <c>loncRestartBackoff</c> on: a failing host is restarted after a growing delay and never given up;
    /// off (the default): 1.53's restarts up to <see cref="ChildMaxAttempts"/>, then the host waits for USR1.
    /// </summary>
    public bool RestartBackoff { get; init; }
    /// <summary><c>loncRestartBackoffMin</c>: seconds before the first restart (default 10).</summary>
    public int RestartBackoffMin { get; init; } = 10;
    /// <summary><c>loncRestartBackoffMax</c>: the delay doubles up to this many seconds (default 600).</summary>
    public int RestartBackoffMax { get; init; } = 600;
    /// <summary><c>loncRestartBackoffReset</c>: a child serving this many seconds starts the delays afresh (default 300).</summary>
    public int RestartBackoffReset { get; init; } = 300;
    /// <summary>
    /// <c>loncPipelineDepth</c>: how many requests a child may have in flight on its lond link at once (1–64).
    /// 1, the default, is 1.53: one request, its reply, then the next.
    /// </summary>
    public int PipelineDepth { get; init; } = 1;

    /// <summary>
    /// The effective value of every setting by its name (<see cref="SettingsLoader.Definitions"/>), normalised:
    /// what <see cref="SettingsLoader.FromValues"/> builds the same settings from (the parent hands them to its children).
    /// </summary>
    public IReadOnlyDictionary<string, string> EffectiveValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Configuration files that were read, in order.</summary>
    public IReadOnlyList<string> FilesRead { get; init; } = Array.Empty<string>();

    public string LogDir => Path.Combine(LonDaemons, "logs");
    public string PidFilePath => Path.Combine(LogDir, "lonc.pid");
    public string LoncLogPath => Path.Combine(LogDir, "lonc.log");
    public string PermLogPath => Path.Combine(LogDir, "lonnet.perm.log");
    /// <summary>Where the detached daemon and its children write stderr (loncron's name for it).</summary>
    public string ErrorsFilePath => Path.Combine(LogDir, "lonc_errors");
    public string HostsTabPath => Path.Combine(LonTabDir, HostTable.FileName);
    public string DelayedDir => Path.Combine(LonSockDir, "delayed");
    public string StatusDir => Path.Combine(LonDocRoot, "lon-status");
    public string StatusFilePath => Path.Combine(StatusDir, "loncstatus.txt");

    /// <summary>The UNIX socket lonnet connects to for <paramref name="hostId"/>.</summary>
    public string SocketPath(string hostId) => Path.Combine(LonSockDir, hostId);
}
