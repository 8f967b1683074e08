using LegacyLonc.Testbed;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>The reply each child relays from lond to the hang-up's <c>exit</c> is logged cut and as text.</summary>
public class HangupReplyTests
{
    [Fact]
    public void A_long_exit_reply_full_of_markup_is_logged_cut_and_escaped()
    {
        using var h = new ParentHarness(1);
        h.StartServing();
        // lond answers exit with markup and 4096 more bytes: 1.53 logged all of it (up to 16 MiB per host).
        h.Sandbox.Lond!.Behaviour = LondBehaviour.LongExitReply;

        h.Signal(Signum.SIGTERM);

        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), "parent exits\n" + h.Detail());
        var line = h.Log.Split('\n').Single(l => l.Contains("Closing h1: ", StringComparison.Ordinal));
        Assert.Contains("Closing h1: byerefused&lt;script&gt;alert('owned')&lt;/script&gt;&amp;amp;&lt;b&gt;zzz", line);
        Assert.EndsWith("z...", line);
        Assert.True(line.Length < 1000, $"a Closing line of {line.Length} characters");
    }
}
