using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Child;

/// <summary>A decrypted <c>enc:</c> reply reaches the client as exactly one line, or not at all.</summary>
public class DecryptedReplyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_decrypted_reply_holding_a_newline_is_answered_con_lost_and_a_persistent_client_stays_in_step(int depth)
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncPipelineDepth"] = depth.ToString() });
        h.StartReady();
        var before = h.Lond.Handshakes;
        using var s = ChildRelayTests.Connect(h.Socket);
        s.ReceiveTimeout = 15000;

        h.Lond.Behaviour = LondBehaviour.EncNewline;
        s.Send("encrypt:echo:first\n"u8.ToArray());
        Assert.Equal("con_lost", UnixClient.ReadLine(s));

        // The same connection: its next reply is its next request's, not the rest of the first.
        h.Lond.Behaviour = LondBehaviour.Normal;
        s.Send("echo:second\n"u8.ToArray());
        Assert.Equal("second", UnixClient.ReadLine(s));

        Assert.Contains("CRITICAL: Garbage encrypted reply from h1 (the decrypted reply holds a newline", h.Sandbox.ReadLog());
        // The link that carried it was not trusted again.
        Assert.True(h.Lond.Handshakes > before, h.Detail());
    }
}
