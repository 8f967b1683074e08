using System.Text;
using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Child;

/// <summary>Bytes from lond and from clients reach lonc.log escaped (no control character) and cut where they are quoted.</summary>
public class PeerTextInLogTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void An_init_reply_full_of_control_characters_is_logged_escaped()
    {
        using var h = new ChildHarness(LondBehaviour.ControlInit);
        var log = h.StartUntilExit();
        Assert.Contains(@"Init reply: >refused\x1b[2J\x1b]0;owned\x07\x00\x7f-end<", log);
        AssertNoControlCharacters(log);
    }

    [Fact]
    public void Requests_in_the_status_and_unasked_lond_lines_are_logged_escaped_and_cut()
    {
        using var h = new ChildHarness();
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.DoubleReply;
        // A request with ESC and NUL becomes the status ("Completed: ..."), which the next log line carries: the
        // protocol error about its extra reply, found before the client's second request goes out.
        using (var s = ChildRelayTests.Connect(h.Socket))
        {
            s.Send(Encoding.UTF8.GetBytes("echo:\u001b[31mred\0nul\necho:second\n"));
            Assert.Equal("\u001b[31mred\0nul", UnixClient.ReadLine(s));
            Assert.Equal("second", UnixClient.ReadLine(s));
        }
        // A 10 000-byte extra line with an escape sequence: quoted in the protocol error, escaped and cut.
        var big = "\u001b[1m" + new string('z', 10_000);
        Assert.Equal(big, UnixClient.Request(h.Socket, "echo:" + big, 15000));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Assert.Equal("next", UnixClient.Request(h.Socket, "echo:next"));

        var log = h.Sandbox.ReadLog();
        AssertNoControlCharacters(log);
        var errors = log.Split('\n').Where(l => l.Contains("CRITICAL: Protocol error", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(@": Completed: echo:\x1b[31mred\x00nul]", errors[0]);
        Assert.Contains(@">extra-\x1b[31mred\x00nul\x0a<", errors[0]);
        Assert.Contains(@">extra-second\x0a<", errors[1]);
        Assert.Contains(@">extra-\x1b[1mzzz", errors[2]);
        Assert.True(errors[2].Length < 1000, $"protocol error line of {errors[2].Length} characters");
    }

    [Fact]
    public void An_init_reply_full_of_markup_is_logged_as_text()
    {
        using var h = new ChildHarness(LondBehaviour.MarkupInit);
        var log = h.StartUntilExit();
        Assert.Contains("Init reply: >refused&lt;script&gt;alert('owned')&lt;/script&gt;&amp;amp;&lt;b&gt;<", log);
        AssertNoPeerMarkup(log);
    }

    [Fact]
    public void Markup_in_requests_replies_and_spooled_commands_is_logged_as_text_in_lonc_log_and_the_perm_log()
    {
        using var h = new ChildHarness();
        File.WriteAllText(Path.Combine(h.Sandbox.Builder.DelayedDir, "1100000000.0.1.echob.h1"), "echo:<b>spooled</b>&x\n");
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.DoubleReply;
        // The request becomes the status ("Completed: ..."), which the next log line carries: the protocol error
        // about its extra reply, which quotes lond's text.
        using (var s = ChildRelayTests.Connect(h.Socket))
        {
            s.Send("echo:<script>x</script>&\necho:second\n"u8.ToArray());
            Assert.Equal("<script>x</script>&", UnixClient.ReadLine(s));
            Assert.Equal("second", UnixClient.ReadLine(s));
        }
        h.Lond.Behaviour = LondBehaviour.Normal;

        var log = h.Sandbox.ReadLog();
        AssertNoPeerMarkup(log);
        Assert.Contains("Delayed echo:&lt;b&gt;spooled&lt;/b&gt;&amp;x to h1: >&lt;b&gt;spooled&lt;/b&gt;&amp;x<", log);
        var error = log.Split('\n').First(l => l.Contains("CRITICAL: Protocol error", StringComparison.Ordinal));
        Assert.Contains(": Completed: echo:&lt;script&gt;x&lt;/script&gt;&amp;]", error);
        Assert.Contains(@">extra-&lt;script&gt;x&lt;/script&gt;&amp;\x0a<", error);
        Assert.Contains(":S:h1:echo:&lt;b&gt;spooled&lt;/b&gt;&amp;x:", h.Sandbox.ReadPermLog());
    }

    /// <summary>lonc's own markers are the only markup: nothing a peer sent opens a tag.</summary>
    private static void AssertNoPeerMarkup(string log)
    {
        Assert.DoesNotContain("<script", log);
        Assert.DoesNotContain("<b>", log);
        Assert.DoesNotContain("</script", log);
    }

    private static void AssertNoControlCharacters(string log)
    {
        var bad = Regex.Match(log, @"[\x00-\x09\x0b-\x1f\x7f-\x9f]");
        Assert.False(bad.Success, $"control character U+{(bad.Success ? (int)bad.Value[0] : 0):X4} in lonc.log:\n{log}");
    }
}
