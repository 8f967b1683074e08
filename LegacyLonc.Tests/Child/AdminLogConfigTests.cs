using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Child;

/// <summary>An administrator's <c>lonc.nlog.config</c> next to loncapa.conf governs lonc.log.</summary>
public class AdminLogConfigTests
{
    [Fact]
    public void A_lonc_nlog_config_in_the_conf_dir_is_followed_by_the_child()
    {
        using var h = new ChildHarness();
        var shipped = Path.Combine(FindRepoRoot(), "etc", "lonc.nlog.config");
        // The shipped file, filtered to WARNING and CRITICAL lines (NLog levels Warn and above).
        var xml = File.ReadAllText(shipped).Replace("minlevel=\"Trace\"", "minlevel=\"Warn\"");
        Assert.Contains("minlevel=\"Warn\"", xml);
        File.WriteAllText(Path.Combine(h.Sandbox.ConfDir, "lonc.nlog.config"), xml);

        h.StartReady();
        h.Lond.Behaviour = LegacyLonc.Testbed.LondBehaviour.GarbageEnc;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:x"));
        Eventually.Assert(() => h.Sandbox.ReadLog().Contains("Garbage encrypted reply"), TimeSpan.FromSeconds(10),
            "the red CRITICAL line", h.Detail);

        var log = h.Sandbox.ReadLog();
        Assert.DoesNotContain("h1 online", log);
        Assert.DoesNotContain("Secure connection initialized", log);
        Assert.Matches(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \(\d+\) \[h1\] \[[^\]]*\]: <font color=red>CRITICAL: Garbage encrypted reply", log);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "LegacyLonc.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (LegacyLonc.sln) not found");
    }
}
