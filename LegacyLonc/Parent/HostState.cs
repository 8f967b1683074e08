namespace LegacyLonc.Parent;

/// <summary>Where a host of hosts.tab stands, as the parent knows it (the status report and the title show it).</summary>
public enum HostState
{
    /// <summary>A child was spawned (or is due) and has not reported <c>online</c> yet.</summary>
    Starting,
    /// <summary>Its child is listening on the host's socket with an open lond link.</summary>
    Serving,
    /// <summary>Its child failed and sleeps <c>loncFailSleepMin + rand(loncFailSleepSpread)</c> s before it exits (1.53's fail sleep).</summary>
    SleepingAfterFailure,
    /// <summary>No child; a restart is scheduled after the backoff delay (<c>loncRestartBackoff on</c>).</summary>
    BackingOff,
    /// <summary>No child; its attempts are used up and it waits for USR1 (<c>loncRestartBackoff off</c>).</summary>
    Skipped,
}
