using System.Net.Sockets;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// The signals a child obeys, turned into flags its loops look at: INT/TERM ask it to stop (1.53's child
/// kept the default action and simply died; we close the link and remove the socket first), USR1 asks for
/// a status line, HUP is ignored as 1.53's POD says ("nothing happens").
/// </summary>
public sealed class ChildSignals : IDisposable
{
    private const int SIGHUP = 1, SIGINT = 2, SIGUSR1 = 10, SIGTERM = 15;
    private readonly SignalPipe _pipe = new();
    private bool _stop;
    private bool _status;

    public ChildSignals() => _pipe.Catch(SIGHUP, SIGINT, SIGUSR1, SIGTERM);

    /// <summary>Readable whenever a signal is pending: put it in every wait.</summary>
    public Socket WakeSocket => _pipe.ReadEnd;

    /// <summary>Takes pending signals into the flags; true once INT or TERM has arrived.</summary>
    public bool StopRequested()
    {
        while (_pipe.TryTake(out var signo))
        {
            if (signo is SIGINT or SIGTERM)
            {
                StoppedByTerm |= !_stop && signo == SIGTERM;
                _stop = true;
            }
            else if (signo == SIGUSR1)
                _status = true;
        }
        return _stop;
    }

    /// <summary>
    /// True when the stop came as TERM: from the kernel after the parent died (PR_SET_PDEATHSIG) or from an
    /// administrator; the parent itself stops its children with INT.
    /// </summary>
    public bool StoppedByTerm { get; private set; }

    /// <summary>True once per USR1 burst (signals coalesce, as in Perl).</summary>
    public bool TakeStatusRequest()
    {
        StopRequested();
        var s = _status;
        _status = false;
        return s;
    }

    /// <summary>Sleeps up to <paramref name="delay"/> (on the monotonic clock: a wall-clock step changes nothing); returns true early if INT/TERM arrives.</summary>
    public bool SleepUnlessStopped(TimeSpan delay)
    {
        var until = MonotonicClock.After(delay);
        while (!StopRequested())
        {
            var left = MonotonicClock.Until(until);
            if (left <= TimeSpan.Zero)
                return false;
            _pipe.ReadEnd.Poll((int)Math.Clamp(left.TotalMicroseconds, 1, 500_000), SelectMode.SelectRead);
        }
        return true;
    }

    public void Dispose() => _pipe.Dispose();
}
