using System.Diagnostics;
using System.Text.RegularExpressions;
using LegacyLonc.Posix;

namespace LegacyLonc.Testbed;

/// <summary>What a <see cref="SoakRun"/> runs, for how long.</summary>
public sealed class SoakOptions
{
    /// <summary>The lonc executable under soak.</summary>
    public required string Lonc { get; init; }
    public required TimeSpan Duration { get; init; }
    public int Seed { get; init; } = Environment.TickCount;
    /// <summary>The lond port of the sandboxes.</summary>
    public int Port { get; init; } = 18663;
    /// <summary>Hosts on 127.0.&lt;block&gt;.x.</summary>
    public int Block { get; init; } = 230;
    /// <summary>The signals sent to the daemons now and then (USR1, USR2, HUP by default).</summary>
    public IReadOnlyList<int> Signals { get; init; } = SoakChaos.ParentSignals.Values.ToList();
    /// <summary>Set on Ctrl-C / SIGTERM: the run ends early (and fails), everything still cleaned up.</summary>
    public CancellationToken Cancel { get; init; }
}

/// <summary>One lonc daemon of a soak: its name (<c>depth1</c>, <c>depth8</c>), its sandbox and its parent process.</summary>
internal sealed record SoakDaemon(string Name, SandboxBuilder Sandbox, Process Process);

/// <summary>
/// The soak: two lonc daemons on 10 hosts, depth 1 (h1–h5) and depth 8 (h6–h10), since <c>loncPipelineDepth</c> is one
/// setting per daemon; one lond emulator per host; on each host a lonnet-pattern client and a persistent one; lond
/// faults at random (<see cref="SoakChaos"/>) and USR1/USR2/HUP (<see cref="SoakOptions.Signals"/>) now and then. After a fault-free warm-up and at the end
/// the clients park, every fault ends, each host answers <c>ping</c>, and every lonc process is measured.
/// </summary>
public sealed class SoakRun
{
    /// <summary>How long a client waits for lonc (the daemons' request timeout is 3 s).</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);
    private const int Hosts = 10;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    private readonly SoakOptions _options;
    private readonly TextWriter _out;

    public SoakRun(SoakOptions options, TextWriter output)
    {
        _options = options;
        _out = output;
    }

    public SoakReport Run()
    {
        var work = Directory.CreateTempSubdirectory("lonc-soak.").FullName;
        var londs = new List<LondEmulator>();
        var daemons = new List<SoakDaemon>();
        try
        {
            return RunIn(work, londs, daemons);
        }
        finally
        {
            foreach (var p in daemons.Select(d => d.Process))
            {
                StopDaemon(p);
                p.Dispose();
            }
            foreach (var l in londs)
                l.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    private SoakReport RunIn(string work, List<LondEmulator> londs, List<SoakDaemon> daemons)
    {
        var hosts = SandboxBuilder.NumberedHosts(Hosts, first: 10, block: _options.Block);
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(_options.Duration.TotalSeconds / 10, 2, 60));
        Say($"soak: {Hosts} hosts, depth 1 (h1-h5) and depth 8 (h6-h10) in two daemons, {Hosts * 2} clients " +
            $"(lonnet pattern and persistent, one each per host), {_options.Duration.TotalSeconds:0} s " +
            $"({warmUp.TotalSeconds:0} s warm-up without faults), seed {_options.Seed}, lonc {_options.Lonc}");

        foreach (var h in hosts)
        {
            var lond = new LondEmulator(new LondEmulatorOptions
            {
                Listen = new[] { (h.Address, h.Id) },
                Port = _options.Port,
                ClientId = "sandl1",
                // Trickle: ms between bytes; CloseIdle: idle ms before lond closes a link.
                ReplyDelayMs = 5,
                Record = false,
            });
            lond.Start();
            londs.Add(lond);
        }
        foreach (var (name, depth, part) in new[] { ("depth1", 1, hosts.Take(5)), ("depth8", 8, hosts.Skip(5)) })
        {
            var sandbox = new SandboxBuilder
            {
                Root = Path.Combine(work, name),
                LondPort = _options.Port,
                Hosts = part.ToList(),
                Extra = new Dictionary<string, string>
                {
                    ["loncPipelineDepth"] = depth.ToString(),
                    ["loncPongDelay"] = "0",
                    ["loncInitTimeout"] = "3",
                    ["loncRequestTimeout"] = "3",
                    ["loncFailSleepMin"] = "1",
                    ["loncFailSleepSpread"] = "1",
                    // A host lond refused for a while must come back, not be skipped until USR1.
                    ["loncRestartBackoff"] = "on",
                    ["loncRestartBackoffMin"] = "1",
                    ["loncRestartBackoffMax"] = "2",
                },
            }.Write();
            daemons.Add(new SoakDaemon(name, sandbox, StartDaemon(sandbox)));
        }

        var sockets = daemons.SelectMany(d => d.Sandbox.Hosts.Select(h => (Host: h.Id, Path: d.Sandbox.SocketPath(h.Id)))).ToList();
        if (!AllAnswer(sockets))
            return Abort("not every host answered ping after the start", daemons);
        // A parent as first started holds two descriptors that its HUP re-exec does not (one on /dev/null, a pipe):
        // one HUP before the warm-up, so every later HUP leaves the parent's count as the start measurement found it.
        foreach (var p in daemons.Select(d => d.Process))
            Signals.Send(p.Id, Signals.Hup);
        Say("soak: one HUP to each daemon before the warm-up (the start is measured on re-executed parents)");

        var gate = new SoakGate(sockets.Count * 2);
        var clients = new List<SoakClient>();
        var threads = new List<Thread>();
        var problems = new List<string>();
        void Problem(string p)
        {
            lock (problems)
            {
                if (problems.Count < 20)
                    problems.Add(p);
            }
        }
        var n = 0;
        foreach (var (host, path) in sockets)
        {
            foreach (var persistent in new[] { false, true })
            {
                var c = new SoakClient(path, $"{host}-c{n}", persistent, gate, _options.Seed + ++n, Problem);
                clients.Add(c);
                threads.Add(new Thread(c.Run) { IsBackground = true, Name = $"soak client {n}" });
            }
        }
        foreach (var t in threads)
            t.Start();

        var clock = Stopwatch.StartNew();
        Wait(warmUp);
        var start = Measure("start", gate, sockets, daemons);
        if (start is null)
            return Abort("the daemons did not settle after the warm-up", daemons, gate, threads);

        var chaos = new SoakChaos(londs, daemons.Select(d => d.Process.Id).ToList(), _options.Signals,
            TimeSpan.FromSeconds(Math.Clamp(_options.Duration.TotalSeconds / 8, 1, 30)), _options.Seed, Say);
        chaos.Start();
        Wait(_options.Duration - clock.Elapsed);
        chaos.Stop();
        var end = Measure("end", gate, sockets, daemons);
        gate.Stop();
        foreach (var t in threads)
            t.Join(ClientTimeout * 2);

        var tally = new SoakTally();
        foreach (var c in clients)
            tally.Add(c.Tally);
        var crashes = Crashes(daemons);
        return new SoakReport(tally, start, end ?? new List<SoakProcess>(), chaos.Faults, chaos.SignalsSent, crashes, problems,
            end is null ? "the daemons did not settle at the end" : _options.Cancel.IsCancellationRequested ? "interrupted" : null);
    }

    /// <summary>Parks the clients, checks every host answers, waits for steady descriptor counts, samples, resumes the clients.</summary>
    private List<SoakProcess>? Measure(string when, SoakGate gate, IReadOnlyList<(string Host, string Path)> sockets,
        IReadOnlyList<SoakDaemon> daemons)
    {
        gate.Pause(ClientTimeout * 2);
        try
        {
            if (!AllAnswer(sockets))
                return null;
            List<SoakProcess> Sample() =>
                daemons.SelectMany(d => SoakSample.Daemon(d.Name, d.Process.Id, d.Sandbox.SockDir)).ToList();
            var deadline = Stopwatch.StartNew();
            var last = Sample();
            while (deadline.Elapsed < Settle)
            {
                Thread.Sleep(500);
                var now = Sample();
                // Steady: the same processes with the same descriptors twice in a row, one per role.
                if (now.Count == Hosts + daemons.Count && now.Select(p => (p.Role, p.Pid, p.Descriptors)).SequenceEqual(last.Select(p => (p.Role, p.Pid, p.Descriptors))))
                    return now;
                last = now;
            }
            Say($"soak: {when}: the processes did not settle: {string.Join(", ", last.Select(p => $"{p.Role} {p.Pid} {p.Descriptors} fds"))}");
            return null;
        }
        finally
        {
            gate.Resume();
        }
    }

    /// <summary>Each socket answers <c>ping</c> with its host (links re-opened, children restarted) within <see cref="Settle"/>.</summary>
    private bool AllAnswer(IEnumerable<(string Host, string Path)> sockets)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var (host, path) in sockets)
        {
            while (LonnetClient.Subreply(path, "ping", ClientTimeout, out _) != host)
            {
                if (deadline.Elapsed > Settle || _options.Cancel.IsCancellationRequested)
                {
                    Say($"soak: {host} does not answer ping");
                    return false;
                }
                Thread.Sleep(100);
            }
        }
        return true;
    }

    /// <summary>Abnormal ends in the daemons' logs (a child killed by a signal, ABNORMAL EXIT, a child that would not stop) and parents gone.</summary>
    private static List<string> Crashes(IEnumerable<SoakDaemon> daemons)
    {
        var crashes = new List<string>();
        var abnormal = new Regex(@"ended with signal|ended with exit status (?![01]\b)|ABNORMAL EXIT|did not stop, killing it", RegexOptions.CultureInvariant);
        foreach (var (name, sandbox, process) in daemons)
        {
            if (process.HasExited)
                crashes.Add($"{name}: the lonc parent {process.Id} is gone ({process.ExitCode})");
            if (File.Exists(sandbox.LoncLog))
                crashes.AddRange(File.ReadLines(sandbox.LoncLog).Where(l => abnormal.IsMatch(l)).Select(l => $"{name}: {l}"));
        }
        return crashes;
    }

    private Process StartDaemon(SandboxBuilder sandbox)
    {
        var psi = new ProcessStartInfo(_options.Lonc)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName, "--foreground" })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new IOException($"cannot start {_options.Lonc}");
        // Drained so a chatty daemon never blocks on a full pipe; its log is lonc.log.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) Say($"lonc {p.Id} stderr: {e.Data}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>SIGTERM (lonc stops its children), SIGKILL to all that is left after 15 s.</summary>
    private static void StopDaemon(Process p)
    {
        if (p.HasExited)
            return;
        var children = SoakSample.ChildrenOf(p.Id).ToList();
        Signals.Send(p.Id, Signals.Term);
        if (!p.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            foreach (var c in children.Concat(SoakSample.ChildrenOf(p.Id)))
                Signals.Send(c, Signals.Kill);
            p.Kill();
            p.WaitForExit(TimeSpan.FromSeconds(5));
        }
    }

    private SoakReport Abort(string why, IEnumerable<SoakDaemon> daemons,
        SoakGate? gate = null, IEnumerable<Thread>? threads = null)
    {
        gate?.Stop();
        foreach (var t in threads ?? Array.Empty<Thread>())
            t.Join(ClientTimeout * 2);
        return new SoakReport(new SoakTally(), new List<SoakProcess>(), new List<SoakProcess>(),
            new Dictionary<SoakFault, int>(), new Dictionary<int, int>(), Crashes(daemons), new List<string>(), why);
    }

    private void Wait(TimeSpan span)
    {
        if (span > TimeSpan.Zero)
            _options.Cancel.WaitHandle.WaitOne(span);
    }

    private void Say(string line)
    {
        lock (_out)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
