using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// HUP checks the configuration and hosts.tab before it hangs up: with errors the running lonc is kept exactly as it
/// is (same parent, same children, same pid file), the errors logged with file and line.
/// </summary>
public sealed class HupRefusalTests
{
    private static void AssertUntouched(ParentHarness h, IReadOnlyDictionary<string, int> before)
    {
        Assert.False(h.Parent!.HasExited, h.Detail());
        Assert.Equal(0, h.Count("CRITICAL: Restarting"));
        Assert.Equal(0, h.Count("Closing h"));
        Assert.Equal($"{h.Pid}\n", File.ReadAllText(h.Sandbox.Builder.PidFile));
        Assert.All(h.Hosts, x => Assert.Equal(before[x], h.ChildFor(x)));
        Assert.All(h.Hosts, x => Assert.True(h.Serves(x)));
    }

    [Fact]
    public void HUP_with_a_typo_in_the_configuration_keeps_the_running_lonc_and_a_fixed_one_restarts()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var before = h.Hosts.ToDictionary(x => x, x => h.ChildFor(x)!.Value);
        var conf = Path.Combine(h.Sandbox.ConfDir, "loncapa.conf");
        var good = File.ReadAllText(conf);
        File.AppendAllText(conf, "PerlSetVar loncFailSleepMin abc\n");
        var typoLine = File.ReadAllLines(conf).Length;

        h.Signal(Signum.SIGHUP);

        h.WaitLog("CRITICAL: HUP refused");
        Assert.Contains($"<font color=blue>WARNING: {conf}:{typoLine}: loncFailSleepMin \"abc\" is not a number", h.Log);
        Assert.Equal(1, h.Count("<font color=red>CRITICAL: HUP refused: the configuration or hosts.tab has errors (above); the running lonc is kept as it is</font>"));
        AssertUntouched(h, before);

        File.WriteAllText(conf, good);
        h.Signal(Signum.SIGHUP);
        h.WaitLog("---------- Starting ----------", 2);
        h.WaitServing(h.Hosts);
    }

    [Fact]
    public void HUP_with_a_malformed_hosts_tab_line_keeps_the_running_lonc()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var before = h.Hosts.ToDictionary(x => x, x => h.ChildFor(x)!.Value);
        // A restart on this file would start without h2.
        h.WriteHostsTab(new[] { ("h1", h.AddressOf("h1")) }, "h2:sandbox:library:h2.sandbox.invalid:127.0.0.300");

        h.Signal(Signum.SIGHUP);

        h.WaitLog("CRITICAL: HUP refused");
        Assert.Contains($"<font color=blue>WARNING: {h.HostsTab}:2: host h2: bad IP address", h.Log);
        AssertUntouched(h, before);
    }

    [Fact]
    public void HUP_with_a_spool_others_can_write_keeps_the_running_lonc()
    {
        using var h = new ParentHarness(2);
        h.StartServing();
        var before = h.Hosts.ToDictionary(x => x, x => h.ChildFor(x)!.Value);
        // The files are fine, but the new image's start-up checks would refuse this directory and leave no lonc.
        var delayed = h.Sandbox.Builder.DelayedDir;
        File.SetUnixFileMode(delayed, (UnixFileMode)Convert.ToInt32("777", 8));
        try
        {
            h.Signal(Signum.SIGHUP);

            h.WaitLog("CRITICAL: HUP refused");
            Assert.Contains($"<font color=blue>WARNING: {delayed}", h.Log);
            AssertUntouched(h, before);
        }
        finally
        {
            File.SetUnixFileMode(delayed, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }
}
