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

    private static void AssertNoControlCharacters(string log)
    {
        var bad = Regex.Match(log, @"[\x00-\x09\x0b-\x1f\x7f-\x9f]");
        Assert.False(bad.Success, $"control character U+{(bad.Success ? (int)bad.Value[0] : 0):X4} in lonc.log:\n{log}");
    }
}
