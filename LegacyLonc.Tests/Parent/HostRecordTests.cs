using LegacyLonc.Logging;
using LegacyLonc.Parent;
using LegacyLonc.Status;
using LegacyLonc.Tests.Logging;

namespace LegacyLonc.Tests.Parent;

/// <summary>A host's state changes in one method, which logs the changes no line of their own tells already.</summary>
public sealed class HostRecordTests : IDisposable
{
    private readonly TempDaemons _daemons = new();
    private readonly StringWriter _errors = new();
    private readonly LoncLog _log;

    public HostRecordTests() => _log = LoncLog.Open(_daemons.Root, "PARENT", null, _errors);

    public void Dispose() => _daemons.Dispose();

    private string[] Messages() =>
        TempDaemons.Lines(_daemons.LoncLog).Select(l => LegacyLines.LoncLine.Match(l).Groups["message"].Value).ToArray();

    /// <summary>A record of h1 brought to <paramref name="state"/> without logging.</summary>
    private HostRecord In(HostState state)
    {
        var r = new HostRecord("h1", _log);
        var why = state switch
        {
            HostState.Serving => HostEvent.Online,
            HostState.SleepingAfterFailure => HostEvent.FailSleep,
            HostState.Skipped => HostEvent.Skip,
            HostState.BackingOff => HostEvent.BackOff,
            _ => HostEvent.Restart,
        };
        r.Enter(state, 1, why);
        Assert.Empty(Messages());
        return r;
    }

    [Theory]
    [InlineData(HostState.BackingOff, HostState.Starting, HostEvent.DelayOver, "host h1: backing off -> starting (backoff delay over)")]
    public void A_change_no_other_line_tells_logs_one_line(HostState from, HostState to, HostEvent why, string line)
    {
        var r = In(from);

        Assert.True(r.Enter(to, 7, why));

        Assert.Equal(to, r.State);
        Assert.Equal(7, r.Since);
        Assert.Equal(new[] { line }, Messages());
    }

    [Theory]
    [InlineData(HostState.Starting, HostState.Serving, HostEvent.Online)]
    [InlineData(HostState.Starting, HostState.SleepingAfterFailure, HostEvent.FailSleep)]
    [InlineData(HostState.Serving, HostState.SleepingAfterFailure, HostEvent.FailSleep)]
    [InlineData(HostState.Serving, HostState.Starting, HostEvent.Restart)]
    [InlineData(HostState.SleepingAfterFailure, HostState.Starting, HostEvent.Restart)]
    [InlineData(HostState.SleepingAfterFailure, HostState.Skipped, HostEvent.Skip)]
    [InlineData(HostState.Skipped, HostState.Starting, HostEvent.Usr1)]
    [InlineData(HostState.BackingOff, HostState.Starting, HostEvent.Usr1)]
    [InlineData(HostState.Starting, HostState.BackingOff, HostEvent.BackOff)]
    [InlineData(HostState.Serving, HostState.BackingOff, HostEvent.BackOff)]
    [InlineData(HostState.SleepingAfterFailure, HostState.BackingOff, HostEvent.BackOff)]
    [InlineData(HostState.Serving, HostState.Starting, HostEvent.Reload)]
    [InlineData(HostState.SleepingAfterFailure, HostState.Starting, HostEvent.Reload)]
    public void A_change_a_line_of_its_own_tells_logs_nothing_more(HostState from, HostState to, HostEvent why)
    {
        var r = In(from);

        Assert.True(r.Enter(to, 7, why));

        Assert.Equal(to, r.State);
        Assert.Equal(7, r.Since);
        Assert.Empty(Messages());
    }

    [Fact]
    public void Entering_the_state_the_host_is_in_changes_nothing_but_the_next_attempt_and_logs_nothing()
    {
        var r = In(HostState.SleepingAfterFailure);

        Assert.False(r.Enter(HostState.SleepingAfterFailure, 9, HostEvent.Reload, nextAttempt: 40));

        Assert.Equal(HostState.SleepingAfterFailure, r.State);
        Assert.Equal(1, r.Since);
        Assert.Equal(40, r.NextAttempt);
        Assert.Empty(Messages());
    }

    [Fact]
    public void A_new_child_starts_the_host_afresh_even_when_it_counted_as_starting()
    {
        var r = In(HostState.Starting);
        r.StartWhenFree = true;
        r.OnlineSince = 3;

        r.ChildStarted(42, 9);

        Assert.Equal((HostState.Starting, 9L, (int?)42, (long?)null, false), (r.State, r.Since, r.Pid, r.OnlineSince, r.StartWhenFree));
        Assert.Empty(Messages());
    }

    [Fact]
    public void Only_the_end_of_a_backoff_delay_has_no_line_of_its_own()
    {
        var own = Enum.GetValues<HostEvent>().Where(e => !HostRecord.AlreadyLogged(e));

        Assert.Equal(new[] { HostEvent.DelayOver }, own);
    }

    [Fact]
    public void A_healthy_start_logs_no_state_line_and_a_backoff_cycle_logs_one()
    {
        var table = new ChildTable(new[] { "h1" }, 2,
            new RestartBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(100), () => 0), _log);
        table.Started("h1", 10, 1);
        table.Online("h1", 10, 2);
        Assert.Empty(Messages());

        table.Exited(10);
        table.Decide("h1", 3);
        table.DueRestarts(table.RetryAt("h1"));

        Assert.Equal(new[] { "host h1: backing off -> starting (backoff delay over)" }, Messages());
    }

    [Fact]
    public void Every_state_has_its_own_name_in_the_status_file()
    {
        var names = Enum.GetValues<HostState>().Select(s => s.StatusName()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(StatusSnapshot.StateNames.OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
    }
}
