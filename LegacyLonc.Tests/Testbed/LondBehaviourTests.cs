using System.Diagnostics;
using LegacyLonc.Testbed;
using LegacyLonc.Tests.Support;
using static LegacyLonc.Tests.Testbed.TestbedNet;

namespace LegacyLonc.Tests.Testbed;

/// <summary>Each <see cref="LondBehaviour"/> briefly, as a lonc would meet it.</summary>
public class LondBehaviourTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void Refuse_closes_without_a_byte()
    {
        using var lond = StartLond(behaviour: LondBehaviour.Refuse);
        using var c = Connect(lond);
        Assert.True(c.SeesEof());
        Assert.Equal(1, lond.Connections);
        Assert.Empty(lond.Dialogue);
    }

    [Fact]
    public void Hang_answers_the_handshake_but_no_request()
    {
        using var lond = StartLond(behaviour: LondBehaviour.Hang);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        c.ReceiveTimeoutMs = 200;
        Assert.Null(c.Transact("ping"));
        Assert.True(lond.WaitForRequests(1, Wait));
        Assert.Equal("ping", lond.Requests.Single());
        Assert.Equal(1, lond.OpenConnections);
    }

    [Fact]
    public void Stall_holds_replies_back_then_answers_every_request_in_order()
    {
        using var lond = StartLond(behaviour: LondBehaviour.Stall);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        c.ReceiveTimeoutMs = 200;
        c.Send("echo:one");
        c.Send("echo:two");
        Assert.Null(c.ReadLine());
        Assert.True(lond.WaitForRequests(1, Wait));

        lond.Behaviour = LondBehaviour.Normal;
        c.ReceiveTimeoutMs = 5000;
        Assert.Equal("one", c.ReadLine());
        Assert.Equal("two", c.ReadLine());
        Assert.Equal("three", c.Transact("echo:three"));
    }

    [Fact]
    public void Hang_init_answers_nothing()
    {
        using var lond = StartLond(behaviour: LondBehaviour.HangInit);
        using var c = Connect(lond);
        c.ReceiveTimeoutMs = 200;
        Assert.Null(c.Transact("init"));
        Eventually.Assert(() => lond.Dialogue.Contains("h1 init"), Wait, "init recorded");
    }

    [Fact]
    public void Bad_challenge_refuses_the_correct_echo()
    {
        using var lond = StartLond(behaviour: LondBehaviour.BadChallenge);
        using var c = Connect(lond);
        var challenge = c.Transact("init");
        Assert.Equal("refused", c.Transact(challenge!));
        Assert.True(c.SeesEof());
        Assert.Equal(0, lond.Handshakes);
    }

    [Fact]
    public void Drop_after_n_answers_n_then_closes()
    {
        using var lond = StartLond(behaviour: LondBehaviour.DropAfterN, dropAfter: 2);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("h1", c.Transact("ping"));
        Assert.Equal("x", c.Transact("echo:x"));
        Assert.Null(c.Transact("echo:y"));
        Assert.Equal(new[] { "ping", "echo:x", "echo:y" }, lond.Requests);
        // A fresh connection gets its own count.
        using var again = Connect(lond);
        again.Open("h1", "cl1");
        Assert.Equal("h1", again.Transact("ping"));
    }

    [Fact]
    public void Drop_at_marker_answers_what_came_before_then_closes()
    {
        using var lond = StartLond(behaviour: LondBehaviour.DropAtMarker);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        c.SendRaw("echo:a\necho:b\necho:fault!\necho:d\n"u8.ToArray());
        Assert.Equal("a", c.ReadLine());
        Assert.Equal("b", c.ReadLine());
        Assert.Null(c.ReadLine());
        Assert.Equal(new[] { "echo:a", "echo:b", "echo:fault!" }, lond.Requests);
    }

    [Fact]
    public void Hang_at_marker_answers_what_came_before_then_nothing()
    {
        using var lond = StartLond(behaviour: LondBehaviour.HangAtMarker);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        c.SendRaw("echo:a\necho:fault!\necho:c\n"u8.ToArray());
        Assert.Equal("a", c.ReadLine());
        Assert.True(lond.WaitForRequests(3, Wait));
        c.ReceiveTimeoutMs = 200;
        Assert.Null(c.ReadLine());
        Assert.Equal(1, lond.OpenConnections);
    }

    [Fact]
    public void Requests_written_before_the_reply_are_recorded_as_pipelined()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("one", c.Transact("echo:one"));
        Assert.Equal("two", c.Transact("echo:two"));
        c.SendRaw("echo:3\necho:4\necho:5\n"u8.ToArray());
        Assert.Equal(new[] { "3", "4", "5" }, new[] { c.ReadLine(), c.ReadLine(), c.ReadLine() });
        var log = lond.RequestLog;
        Assert.Equal(new[] { false, false }, log.Take(2).Select(r => r.Pipelined));
        // The first of the three came after every earlier reply; the other two arrived with it.
        Assert.Equal(new[] { false, true, true }, log.Skip(2).Select(r => r.Pipelined));
    }

    [Fact]
    public void No_handshake_answers_requests_from_the_first_line()
    {
        var address = Addresses(1)[0];
        using var lond = new LondEmulator(new LondEmulatorOptions
        {
            Listen = new[] { (address, "h1") },
            Port = FreePort(),
            ClientId = "none",
            Handshake = false,
        });
        lond.Start();
        using var c = RawLondClient.Connect(address, lond.Port);
        Assert.Equal("plain", c.Transact("echo:plain"));
        Assert.Equal("h1", c.Transact("ping"));
        Assert.Equal(0, lond.Handshakes);
    }

    [Fact]
    public void Slow_delays_each_reply()
    {
        using var lond = StartLond(behaviour: LondBehaviour.Slow, replyDelayMs: 150);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        var sw = Stopwatch.StartNew();
        Assert.Equal("h1", c.Transact("ping"));
        Assert.True(sw.ElapsedMilliseconds >= 140, $"answered after {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Garbage_enc_replies_do_not_decrypt()
    {
        using var lond = StartLond(behaviour: LondBehaviour.GarbageEnc);
        using var c = Connect(lond);
        var cipher = c.Open("h1", "cl1");
        var errors = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            var reply = c.Transact("ping")!;
            Assert.StartsWith("enc:", reply);
            Assert.False(cipher.TryDecryptReply(reply, out _, out var error));
            errors.Add(error);
        }
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Garbage_without_newline_keeps_the_link_open()
    {
        using var lond = StartLond(behaviour: LondBehaviour.GarbageNoNewline, garbageBytes: 300);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        c.Send("ping");
        Assert.Equal(Enumerable.Repeat((byte)'x', 300), c.ReadBytes(300));
        c.Send("ping");
        Assert.Equal(300, c.ReadBytes(300).Length);
        Assert.Equal(1, lond.OpenConnections);
    }

    [Fact]
    public void Enc_replies_decrypt_with_the_link_key()
    {
        using var lond = StartLond(behaviour: LondBehaviour.EncReplies);
        using var c = Connect(lond);
        var cipher = c.Open("h1", "cl1"); // the setup answers stay plain
        var reply = c.Transact(cipher.EncryptRequest("echo:round trip"))!;
        Assert.StartsWith("enc:10:", reply);
        Assert.True(cipher.TryDecryptReply(reply, out var plain, out var error), error);
        Assert.Equal("round trip", plain);
        Assert.True(cipher.TryDecryptReply(c.Transact("ping")!, out var host, out _));
        Assert.Equal("h1", host);
    }

    [Fact]
    public void Enc_newline_encrypts_a_reply_whose_plain_text_is_two_lines()
    {
        using var lond = StartLond(behaviour: LondBehaviour.EncNewline);
        using var c = Connect(lond);
        var cipher = c.Open("h1", "cl1");
        Assert.True(cipher.TryDecryptReply(c.Transact("echo:one")!, out var plain, out var error), error);
        Assert.Equal("one\nsplit-one", plain);
    }

    [Fact]
    public void Long_exit_reply_answers_exit_with_markup_and_a_long_tail()
    {
        using var lond = StartLond(behaviour: LondBehaviour.LongExitReply);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("x", c.Transact("echo:x"));
        var bye = c.Transact("exit")!;
        Assert.StartsWith("byerefused<script>", bye);
        Assert.EndsWith(new string('z', 4096), bye);
    }

    [Fact]
    public void Behaviour_switches_while_connected()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("h1", c.Transact("ping"));
        lond.Behaviour = LondBehaviour.Hang;
        c.ReceiveTimeoutMs = 200;
        Assert.Null(c.Transact("ping"));
        lond.Behaviour = LondBehaviour.Refuse;
        using var refused = Connect(lond);
        Assert.True(refused.SeesEof());
    }

    [Fact]
    public void Double_reply_sends_one_line_too_many()
    {
        using var lond = StartLond(behaviour: LondBehaviour.DoubleReply);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("a", c.Transact("echo:a"));
        Assert.Equal("extra-a", c.ReadLine());
    }

    [Fact]
    public void Stray_line_follows_the_reply_after_the_delay()
    {
        using var lond = StartLond(behaviour: LondBehaviour.StrayLine, replyDelayMs: 100);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        var sw = Stopwatch.StartNew();
        Assert.Equal("a", c.Transact("echo:a"));
        Assert.Equal("stray-a", c.ReadLine());
        Assert.True(sw.ElapsedMilliseconds >= 90, $"stray line after {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Trickle_sends_one_byte_per_delay()
    {
        using var lond = StartLond(behaviour: LondBehaviour.Trickle, replyDelayMs: 30);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        var sw = Stopwatch.StartNew();
        Assert.Equal("abcd", c.Transact("echo:abcd"));
        // Five bytes (four and the newline), each followed by a pause: the line cannot be complete before four pauses.
        Assert.True(sw.ElapsedMilliseconds >= 4 * 30 - 10, $"trickled line after {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Control_init_answers_the_challenge_with_control_characters_and_closes()
    {
        using var lond = StartLond(behaviour: LondBehaviour.ControlInit);
        using var c = Connect(lond);
        var challenge = c.Transact("init");
        var reply = c.Transact(challenge!);
        Assert.StartsWith("refused\u001b[2J", reply);
        Assert.Contains('\0', reply!);
        Assert.True(c.SeesEof());
        Assert.Equal(0, lond.Handshakes);
    }

    [Fact]
    public void Close_idle_closes_a_quiet_link_and_keeps_listening()
    {
        using var lond = StartLond(behaviour: LondBehaviour.CloseIdle, replyDelayMs: 150);
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("h1", c.Transact("ping"));
        c.ReceiveTimeoutMs = 5000;
        Assert.True(c.SeesEof());
        using var again = Connect(lond);
        again.Open("h1", "cl1");
        lond.Behaviour = LondBehaviour.Normal;
        // The idle limit of the wait already running ends, but the link now stays.
        Eventually.Assert(() => lond.OpenConnections == 1, Wait, "second link open");
        Thread.Sleep(300);
        Assert.Equal("h1", again.Transact("ping"));
    }

    [Theory]
    [InlineData("normal", LondBehaviour.Normal)]
    [InlineData("drop-after-n", LondBehaviour.DropAfterN)]
    [InlineData("GarbageNoNewline", LondBehaviour.GarbageNoNewline)]
    [InlineData("enc_replies", LondBehaviour.EncReplies)]
    [InlineData("hang-init", LondBehaviour.HangInit)]
    [InlineData("double-reply", LondBehaviour.DoubleReply)]
    [InlineData("stray-line", LondBehaviour.StrayLine)]
    [InlineData("trickle", LondBehaviour.Trickle)]
    [InlineData("control-init", LondBehaviour.ControlInit)]
    [InlineData("close-idle", LondBehaviour.CloseIdle)]
    [InlineData("drop-at-marker", LondBehaviour.DropAtMarker)]
    [InlineData("hang-at-marker", LondBehaviour.HangAtMarker)]
    [InlineData("markup-init", LondBehaviour.MarkupInit)]
    [InlineData("enc-newline", LondBehaviour.EncNewline)]
    [InlineData("long-exit-reply", LondBehaviour.LongExitReply)]
    public void Behaviour_names_parse(string text, LondBehaviour expected)
    {
        Assert.True(LondBehaviourName.TryParse(text, out var parsed));
        Assert.Equal(expected, parsed);
        Assert.False(LondBehaviourName.TryParse("sleepy", out _));
    }
}
