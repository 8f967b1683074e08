using LegacyLonc.Posix;

namespace LegacyLonc.Testbed;

/// <summary>The lond faults a soak injects, each on one host for a while.</summary>
public enum SoakFault
{
    /// <summary>lond stopped (every link closed, connections refused), started again when the fault ends.</summary>
    Restart,
    /// <summary>Replies held back, then sent in order (<see cref="LondBehaviour.Stall"/>): late replies, or lonc's request timeout when it lasts longer.</summary>
    Stall,
    /// <summary>Malformed <c>enc:</c> replies or a newline-less answer (<see cref="LondBehaviour.GarbageEnc"/>, <see cref="LondBehaviour.GarbageNoNewline"/>); lond restarted when it ends.</summary>
    Garbage,
    /// <summary>Replies one byte at a time (<see cref="LondBehaviour.Trickle"/>).</summary>
    Trickle,
    /// <summary>lond closes every link that is idle for a moment (<see cref="LondBehaviour.CloseIdle"/>).</summary>
    Close,
}

/// <summary>
/// The soak's trouble maker, on one thread: at random, a lond fault on a random host for 0.5–3 s (a few hosts at a
/// time), and now and then one of the chosen signals (USR1, USR2, HUP) to a random daemon.
/// </summary>
internal sealed class SoakChaos
{
    /// <summary>The signals a soak may send its daemons, by their names in <c>--signals</c>.</summary>
    public static readonly IReadOnlyDictionary<string, int> ParentSignals = new Dictionary<string, int>
    {
        ["usr1"] = Signals.Usr1,
        ["usr2"] = Signals.Usr2,
        ["hup"] = Signals.Hup,
    };

    private readonly IReadOnlyList<LondEmulator> _londs;
    private readonly IReadOnlyList<int> _parents;
    private readonly TimeSpan _signalEvery;
    private readonly IReadOnlyList<int> _signals;
    private readonly Random _random;
    private readonly Action<string> _note;
    private readonly (SoakFault Fault, DateTime Until)?[] _active;
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;

    public SoakChaos(IReadOnlyList<LondEmulator> londs, IReadOnlyList<int> parents, IReadOnlyList<int> signals, TimeSpan signalEvery, int seed,
        Action<string> note)
    {
        _londs = londs;
        _parents = parents;
        _signalEvery = signalEvery;
        _signals = signals;
        _random = new Random(seed);
        _note = note;
        _active = new (SoakFault, DateTime)?[londs.Count];
    }

    /// <summary>Faults injected so far, by kind.</summary>
    public Dictionary<SoakFault, int> Faults { get; } = Enum.GetValues<SoakFault>().ToDictionary(f => f, _ => 0);

    /// <summary>Signals sent so far, by number.</summary>
    public Dictionary<int, int> SignalsSent { get; } = new();

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "soak chaos" };
        _thread.Start();
    }

    /// <summary>Stops injecting and ends every fault: each lond normal and listening.</summary>
    public void Stop()
    {
        _stop.Set();
        _thread?.Join();
        for (var i = 0; i < _active.Length; i++)
            End(i);
    }

    private void Run()
    {
        var nextSignal = DateTime.UtcNow + Jitter(_signalEvery);
        while (!_stop.Wait(_random.Next(200, 1200)))
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < _active.Length; i++)
            {
                if (_active[i] is { } a && a.Until <= now)
                    End(i);
            }
            var idle = Enumerable.Range(0, _active.Length).Where(i => _active[i] is null).ToList();
            // At most a third of the hosts in trouble at once, so the others carry on.
            if (idle.Count > _active.Length * 2 / 3)
                Begin(idle[_random.Next(idle.Count)], (SoakFault)_random.Next(Enum.GetValues<SoakFault>().Length));
            if (now >= nextSignal && _signals.Count > 0)
            {
                var signo = _signals[_random.Next(_signals.Count)];
                var parent = _parents[_random.Next(_parents.Count)];
                Signals.Send(parent, signo);
                SignalsSent[signo] = SignalsSent.GetValueOrDefault(signo) + 1;
                _note($"{Signals.Name(signo)} to lonc {parent}");
                nextSignal = now + Jitter(_signalEvery);
            }
        }
    }

    private void Begin(int host, SoakFault fault)
    {
        var lond = _londs[host];
        switch (fault)
        {
            case SoakFault.Restart: lond.Stop(); break;
            case SoakFault.Stall: lond.Behaviour = LondBehaviour.Stall; break;
            case SoakFault.Garbage: lond.Behaviour = _random.Next(2) == 0 ? LondBehaviour.GarbageEnc : LondBehaviour.GarbageNoNewline; break;
            case SoakFault.Trickle: lond.Behaviour = LondBehaviour.Trickle; break;
            case SoakFault.Close: lond.Behaviour = LondBehaviour.CloseIdle; break;
        }
        Faults[fault]++;
        _active[host] = (fault, DateTime.UtcNow + TimeSpan.FromMilliseconds(_random.Next(500, 3000)));
    }

    private void End(int host)
    {
        if (_active[host] is not { } a)
            return;
        var lond = _londs[host];
        switch (a.Fault)
        {
            case SoakFault.Restart:
                lond.Behaviour = LondBehaviour.Normal;
                StartAgain(lond);
                break;
            case SoakFault.Garbage:
                // Garbage took the place of replies (a newline-less flood is still a line in the making): a lond that
                // went on answering on those links would have skipped replies, which no lond does. It dies instead.
                lond.Stop();
                lond.Behaviour = LondBehaviour.Normal;
                StartAgain(lond);
                break;
            default:
                lond.Behaviour = LondBehaviour.Normal;
                break;
        }
        _active[host] = null;
    }

    /// <summary>A restarted lond listens again; its address may take a moment to be free.</summary>
    private void StartAgain(LondEmulator lond)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                lond.Start();
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Half to one and a half times <paramref name="every"/>.</summary>
    private TimeSpan Jitter(TimeSpan every) => every * (0.5 + _random.NextDouble());
}
