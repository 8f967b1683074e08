using LegacyLonc.Logging;

namespace LegacyLonc.Parent;

/// <summary>What moves a host from one <see cref="HostState"/> to another.</summary>
public enum HostEvent
{
    /// <summary>A child was spawned for the host (1.53's <c>Attempting to start child for server h</c>).</summary>
    ChildStarted,
    /// <summary>Its child reported <c>online</c> (the child logged 1.53's <c>h online</c>).</summary>
    Online,
    /// <summary>Its child reported its fail sleep (the child logged why, as 1.53 did).</summary>
    FailSleep,
    /// <summary>Its child died and a new one follows at once (1.53's <c>Trying to reconnect for h</c>).</summary>
    Restart,
    /// <summary>Its child died with the attempts used up (1.53's <c>Skipped h</c>).</summary>
    Skip,
    /// <summary>Its child died and the restart waits for the backoff delay (the parent's <c>INFO: h backing off n s after k failures</c>).</summary>
    BackOff,
    /// <summary>The backoff delay is over and a child follows; no other line says why it starts.</summary>
    DelayOver,
    /// <summary>USR1 restarts a host that was down (1.53's <c>Restarting child for server: h</c>).</summary>
    Usr1,
    /// <summary>A reload (USR2) retires the host's child (the parent's <c>CRITICAL: Killing child for h …</c>).</summary>
    Reload,
}

/// <summary>
/// One host of the parent's table: its current child, its counters and its <see cref="HostState"/>, which only
/// <see cref="Enter"/> changes. <see cref="ChildTable"/> makes the decisions and keeps the counters here.
/// </summary>
/// <remarks>
/// <see cref="Enter"/> logs a state line, <c>host h1: backing off -> starting (backoff delay over)</c>, only for a
/// change no line tells already. Every other change has its line in lonc.log at that moment: 1.53's (a child's start,
/// its <c>online</c> and its failure in the child's words, a restart, a skip, a USR1 restart) or one of the
/// parent's own (backing off, a reload's kill). A second line for them would cost loncron's 40 KB of lonc.log its
/// history, and a healthy start and a clean stop must log exactly 1.53's lines. So today only the end of a
/// backoff delay has a state line; a new <see cref="HostEvent"/> without a line of its own gets one here.
/// </remarks>
public sealed class HostRecord
{
    private readonly LoncLog? _log;

    /// <summary>A host that has not started yet; <paramref name="log"/> null logs nothing (tests of the decisions).</summary>
    public HostRecord(string host, LoncLog? log = null)
    {
        Host = host;
        _log = log;
    }

    /// <summary>The hosts.tab id.</summary>
    public string Host { get; }

    /// <summary>Where the host stands; changed by <see cref="Enter"/> only.</summary>
    public HostState State { get; private set; } = HostState.Starting;

    /// <summary>Since when the host is in its <see cref="State"/> (monotonic ticks; 0 for a host not yet started).</summary>
    public long Since { get; private set; }

    /// <summary>When its next attempt is due (monotonic ticks), or null when none is scheduled.</summary>
    public long? NextAttempt { get; private set; }

    /// <summary>Its current child (not one being retired).</summary>
    public int? Pid { get; set; }

    /// <summary>Restarts counted against <c>loncChildMaxAttempts</c>.</summary>
    public int Attempts { get; set; }

    /// <summary>Consecutive failures counted by the restart backoff.</summary>
    public int Failures { get; set; }

    /// <summary>When a backing-off host is due for its restart (monotonic ticks).</summary>
    public long RetryAt { get; set; }

    /// <summary>Since when its current child serves (monotonic ticks), for the backoff's reset; null when it does not.</summary>
    public long? OnlineSince { get; set; }

    /// <summary>True while it waits for its retiring child to be gone before it starts.</summary>
    public bool StartWhenFree { get; set; }

    /// <summary>The last line the parent logged about it (<c>&lt;localtime&gt;: &lt;message&gt;</c>).</summary>
    public string LastEvent { get; set; } = "";

    /// <summary>The last failure reported for it; empty once it serves.</summary>
    public string LastError { get; set; } = "";

    /// <summary>
    /// The one change of <see cref="State"/>: to <paramref name="next"/> at <paramref name="now"/> because of
    /// <paramref name="why"/>, with <paramref name="nextAttempt"/> as the next attempt (kept even when the state stays).
    /// Returns false, and logs nothing, when the host is in <paramref name="next"/> already.
    /// </summary>
    public bool Enter(HostState next, long now, HostEvent why, long? nextAttempt = null)
    {
        NextAttempt = nextAttempt;
        if (next == State)
            return false;
        var line = AlreadyLogged(why) ? null : $"host {Host}: {State.Words()} -> {next.Words()} ({Words(why)})";
        State = next;
        Since = now;
        if (line is not null)
            _log?.Log(line);
        return true;
    }

    /// <summary>A new child <paramref name="pid"/> serves the host from <paramref name="now"/>: it starts afresh.</summary>
    public void ChildStarted(int pid, long now)
    {
        Pid = pid;
        Enter(HostState.Starting, now, HostEvent.ChildStarted);
        // Even when the host counted as starting already (due, or waiting for a retiree): this child starts now.
        Since = now;
        OnlineSince = null;
        StartWhenFree = false;
    }

    /// <summary>True for the events a line of their own already tells in lonc.log (see the remarks).</summary>
    public static bool AlreadyLogged(HostEvent why) => why is not HostEvent.DelayOver;

    private static string Words(HostEvent why) => why switch
    {
        HostEvent.DelayOver => "backoff delay over",
        _ => why.ToString(),
    };
}
