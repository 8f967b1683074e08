using LegacyLonc.Child;
using LegacyLonc.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

public class ChildRuntimeSettingsTests
{
    [Fact]
    public void Children_of_the_daemon_get_the_runtime_settings_in_their_environment()
    {
        using var h = new ParentHarness(1);
        // The tests' own environment has no say: lonc must set every default itself.
        h.StartVia("/usr/bin/env", "-u", TestProcessEnvironment.NoDiagnostics);
        h.WaitServing(h.Hosts);
        var child = h.ChildFor("h1");
        Assert.NotNull(child);
        var environ = TryRead($"/proc/{child}/environ").Split('\0');
        foreach (var (name, value) in ChildRuntimeSettings.Defaults)
            Assert.Contains($"{name}={value}", environ);
    }

    /// <summary>
    /// The small gen0 budget is in force, not just in the environment: a few MiB of lonnet traffic (each request's
    /// accepted socket is a small allocation) take a child through gen0 collections, where the default budget,
    /// sized by the CPU's cache, would collect none. Native AOT ignored the budget written as <c>0x80000</c>.
    /// </summary>
    [Fact]
    public void A_child_collects_within_the_small_gen0_budget()
    {
        using var h = new ParentHarness(1);
        var stats = Path.Combine(h.Sandbox.Builder.Root, "debug-stats");
        h.StartVia("/usr/bin/env", $"{ChildStatusReport.DebugStatsVariable}={stats}");
        h.WaitServing(h.Hosts);
        var child = h.ChildFor("h1")!.Value;

        var before = Counters(stats, child, 1, h);
        for (var i = 0; i < 4000; i++)
            Assert.Equal("h1", UnixClient.Request(h.Sandbox.SocketPath("h1"), "ping"));
        var after = Counters(stats, child, 2, h);

        // Fields: pid host requests allocated_bytes gen0 gen1 gen2.
        var allocated = after[3] - before[3];
        Assert.True(allocated > 1 << 20, $"the requests allocated {allocated} bytes, too few to tell budgets apart");
        Assert.True(after[4] - before[4] >= 1, $"no gen0 collection in {allocated} bytes of allocation: the 512 KiB gen0 budget is not in force");
    }

    /// <summary>USR1 to the child and its <paramref name="nth"/> counters line, as numbers (the host field is 0).</summary>
    private static long[] Counters(string stats, int child, int nth, ParentHarness h)
    {
        Assert.Equal(0, Syscall.kill(child, Signum.SIGUSR1));
        string[] lines = Array.Empty<string>();
        Eventually.Assert(() => (lines = File.Exists(stats) ? File.ReadAllLines(stats) : Array.Empty<string>()).Length >= nth,
            ParentHarness.Patience, $"counters line {nth} from child {child}", h.Detail);
        return lines[nth - 1].Split(' ').Select(f => long.TryParse(f, out var v) ? v : 0).ToArray();
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
