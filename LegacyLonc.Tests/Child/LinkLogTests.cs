using LegacyLonc.Tests.Logging;
using LegacyLonc.Tests.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// lonc.log stays as readable as 1.53's: loncron keeps the last 40,000 bytes of it, so every line a healthy host
/// adds is a line of history lost. A failure still says why, in the link's own words.
/// </summary>
public class LinkLogTests
{
    /// <summary>The messages (without time, pid, conserver and status) of lonc.log, in order.</summary>
    private static string[] Messages(ParentHarness h) =>
        TempDaemons.Lines(h.Sandbox.Builder.LoncLog).Select(l => LegacyLines.LoncLine.Match(l).Groups["message"].Value).ToArray();

    [Fact]
    public void A_healthy_connect_and_a_clean_stop_log_the_lines_of_1_53_and_no_more()
    {
        using var h = new ParentHarness(1);
        h.StartServing();
        h.Signal(Signum.SIGTERM);
        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), h.Detail());

        // 1.53's sequence for one host: the parent's start and child start, the child's openremote and online,
        // the hang-up's exit through the socket, the parent's last line; lond's close after the exit is expected and unlogged.
        Assert.Equal(new[]
        {
            "<font color=red>CRITICAL: ---------- Starting ----------</font>",
            "Attempting to start child for server h1",
            "Done starting initial servers",
            "<font color=green>INFO Connected to h1, initing</font>",
            "Secure connection initialized",
            "<font color=green> Remote open success </font>",
            "<font color=green> Connection to h1 open </font>",
            "<font color=green>h1 online</font>",
            "Closing h1: bye",
            "<font color=red>CRITICAL: Shutting down</font>",
        }, Messages(h));
    }

    [Fact]
    public void A_failed_connect_is_one_line_with_its_reason()
    {
        // No lond: the connection is refused.
        using var sandbox = new TestSandbox(1);
        using var child = sandbox.StartChild("h1");

        Assert.True(child.WaitForExit(ParentHarness.Patience), "the child gives up after its fail sleep");
        Assert.Equal(1, child.ExitCode);
        var lines = TempDaemons.Lines(sandbox.Builder.LoncLog).Select(l => LegacyLines.LoncLine.Match(l).Groups["message"].Value).ToArray();
        var address = sandbox.Builder.Hosts[0].Address;
        Assert.Equal(new[] { $"<font color=blue>WARNING: Couldn't connect to h1 (" }, lines.Select(l => l[..l.IndexOf('(', StringComparison.Ordinal)] + "("));
        Assert.EndsWith($"secs): connect to {address}:{sandbox.Builder.LondPort}: connection refused</font>", lines[0]);
    }
}
