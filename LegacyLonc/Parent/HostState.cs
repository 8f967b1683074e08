using LegacyLonc.Status;

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

/// <summary>The names of <see cref="HostState"/> in the status the parent keeps (<see cref="StatusSnapshot"/>) and in its state lines.</summary>
public static class HostStateNames
{
    /// <summary>The state's name in <c>lonc.status.json</c>.</summary>
    public static string StatusName(this HostState state) => state switch
    {
        HostState.Serving => StatusSnapshot.Serving,
        HostState.SleepingAfterFailure => StatusSnapshot.Sleeping,
        HostState.BackingOff => StatusSnapshot.BackingOff,
        HostState.Skipped => StatusSnapshot.Skipped,
        _ => StatusSnapshot.Starting,
    };

    /// <summary>The state in the parent's state line: its status name with spaces (<c>backing off</c>).</summary>
    public static string Words(this HostState state) => state.StatusName().Replace('_', ' ');
}
