using System.Diagnostics;
using LegacyLonc.Posix;
using LegacyLonc.Tests.Support;
using Xunit.Abstractions;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// Crash injection into the delayed replay: a <c>lonc --child</c> replaying a spool is killed with SIGKILL at random
/// moments and restarted until the spool is empty; no message may be lost. A message may arrive twice: 1.53 deletes a
/// file only after lond's answer, so a kill between the answer and the unlink sends it again. Duplicates are counted
/// and reported, not failed.
/// </summary>
public class SpoolCrashTests
{
    /// <summary>SIGKILLs in the whole test; one trial is one kill (see the test).</summary>
    private const int Trials = 200;
    /// <summary>Messages spooled per run; a run is one spool refilled, then replayed by children until it is empty.</summary>
    private const int FilesPerRun = 200;
    /// <summary>
    /// The most requests a killed child is let deliver: with a kill after at most this many, a run of
    /// <see cref="FilesPerRun"/> takes about 2 × 200 / 24 ≈ 17 kills, so the 200 trials take about 12 runs, not 200.
    /// </summary>
    private const int MaxDeliveredBeforeKill = 24;
    /// <summary>The longest extra wait after the chosen request reached lond, before the kill (spread over answer, unlink, next read).</summary>
    private const int MaxJitterMicros = 1500;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly ITestOutputHelper _output;

    public SpoolCrashTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// One trial: a child is started on the spool; when lond has received a random number k (0 to
    /// <see cref="MaxDeliveredBeforeKill"/>, at most what is left) of its requests — for k = 0, when its handshake is
    /// done — and then a random 0–<see cref="MaxJitterMicros"/> µs more, it is killed with SIGKILL and reaped. 200 such
    /// trials are spread over runs of <see cref="FilesPerRun"/> spooled messages; a run left unfinished by the last trial
    /// is completed by a child left alone. Every message must then have reached lond at least once, and the spool be empty.
    /// </summary>
    [Fact]
    public void A_child_killed_at_random_moments_of_a_replay_loses_no_delayed_message()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var h = new ChildHarness();
        var dir = h.Sandbox.Builder.DelayedDir;
        var spooled = new List<string>();
        var clock = Stopwatch.StartNew();
        int trials = 0, runs = 0, killedBeforeReplay = 0, killedAfterLast = 0;

        while (trials < Trials)
        {
            runs++;
            for (var i = 0; i < FilesPerRun; i++)
            {
                var message = $"echo:run{runs}-msg{i}";
                // lonnet's name: <epoch>.<count>.<pid>.<cmd>.<host>, sorted by name in the replay.
                File.WriteAllText(Path.Combine(dir, $"1100000000.{runs * 1000 + i}.4242.echo.h1"), message + "\n");
                spooled.Add(message);
            }
            while (Pending(dir) > 0 && trials < Trials)
            {
                var left = Pending(dir);
                var k = random.Next(0, Math.Min(left, MaxDeliveredBeforeKill) + 1);
                KillDuringReplay(h, k, random.Next(0, MaxJitterMicros + 1));
                trials++;
                if (k == 0)
                    killedBeforeReplay++;
                else if (k == left)
                    killedAfterLast++;
            }
        }
        // The last run's rest, by a child that is left alone.
        h.Start();
        Eventually.Assert(() => Pending(dir) == 0, Wait, "the spool emptied by the last child", h.Detail);

        var received = h.Lond.Requests.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lost = spooled.Where(m => !received.ContainsKey(m)).ToList();
        var duplicates = received.Values.Sum(n => n - 1);
        _output.WriteLine(
            $"seed {seed}: {trials} trials (SIGKILLs) over {runs} runs of {FilesPerRun} spooled messages in {clock.Elapsed.TotalSeconds:0.0} s; " +
            $"{killedBeforeReplay} kills at the handshake, {killedAfterLast} after a run's last request; " +
            $"{spooled.Count} messages, {lost.Count} lost, {duplicates} duplicates " +
            $"({received.Count(kv => kv.Value > 1)} messages sent more than once: a kill between lond's answer and the unlink)");

        Assert.True(lost.Count == 0, $"seed {seed}: {lost.Count} delayed messages lost, e.g. {string.Join(", ", lost.Take(5))}\n{h.Detail()}");
        Assert.Empty(received.Keys.Except(spooled, StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(dir));
    }

    /// <summary>Starts a child on the spool, lets lond receive <paramref name="delivered"/> of its requests, waits <paramref name="jitterMicros"/> more and kills it.</summary>
    private static void KillDuringReplay(ChildHarness h, int delivered, int jitterMicros)
    {
        // The last child's connection must be gone, so its requests are all counted before this child's start.
        Eventually.Assert(() => h.Lond.OpenConnections == 0, Wait, "the killed child's lond connection closed", h.Detail);
        var requests = h.Lond.RequestCount;
        var handshakes = h.Lond.Handshakes;
        var child = h.Start();
        var reached = delivered == 0
            ? h.Lond.WaitForHandshakes(handshakes + 1, Wait)
            : h.Lond.WaitForRequests(requests + delivered, Wait);
        Assert.True(reached, $"the child never delivered {delivered} delayed message(s)\n{h.Detail()}");
        var jitter = Stopwatch.StartNew();
        while (jitter.Elapsed.TotalMicroseconds < jitterMicros)
            Thread.SpinWait(20);
        Assert.Equal(0, Signals.Send(child.Pid, Signals.Kill));
        Assert.True(child.WaitForExit(Wait), $"a SIGKILLed child did not end\n{h.Detail()}");
    }

    private static int Pending(string dir) => Directory.GetFiles(dir).Length;
}
