using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Child;

/// <summary>Replay of lonnet's delayed (critical) messages by a starting child.</summary>
public class DelayedReplayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void Delayed_messages_are_replayed_in_sorted_order_deleted_and_perm_logged()
    {
        using var h = new ChildHarness();
        var dir = h.Sandbox.Builder.DelayedDir;
        File.WriteAllText(Path.Combine(dir, "1100000002.0.123.echothird.h1"), "echo:third\n");
        File.WriteAllText(Path.Combine(dir, "1100000001.1.123.echosecond.h1"), "echo:second\n");
        File.WriteAllText(Path.Combine(dir, "1100000001.0.123.echofirst.h1"), "echo:first\n");
        File.WriteAllText(Path.Combine(dir, "1100000001.2.123.encryptput.h1"), "encrypt:echo:hidden\n");
        File.WriteAllText(Path.Combine(dir, "1100000000.0.123.echoother.h12"), "echo:not-mine\n");
        h.StartReady();

        var requests = h.Lond.Requests.ToList();
        Assert.Equal(new[] { "echo:first", "echo:second", "echo:hidden", "echo:third" }, requests.Take(4));
        Assert.DoesNotContain("echo:not-mine", requests);
        Assert.Equal(new[] { "1100000000.0.123.echoother.h12" }, Directory.GetFiles(dir).Select(Path.GetFileName));

        var perm = h.Sandbox.ReadPermLog().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, perm.Length);
        Assert.Matches(@"^\d+:S:h1:echo:first:\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$", perm[0]);
        Assert.Contains(perm, l => l.Contains(":S:h1:encrypt:echo:hidden:", StringComparison.Ordinal));
        Assert.Contains("Delayed echo:first to h1: >first<", h.Sandbox.ReadLog());
    }

    [Fact]
    public void An_encrypted_message_and_its_answer_are_logged_in_their_wire_form_never_decrypted()
    {
        // lond answers enc: as well: 1.53 logged both sides as they travelled, and the plain answer to an encrypted
        // command must not reach the world-readable lonc.log.
        using var h = new ChildHarness(LondBehaviour.EncReplies);
        var path = Path.Combine(h.Sandbox.Builder.DelayedDir, "1100000000.0.123.encryptput.h1");
        File.WriteAllText(path, "encrypt:echo:the-plain-answer\n");
        h.StartReady();

        Assert.Contains("echo:the-plain-answer", h.Lond.Requests);
        Assert.False(File.Exists(path));
        var log = h.Sandbox.ReadLog();
        Assert.DoesNotContain("the-plain-answer", log);
        Assert.Matches(@"\]: Delayed enc:\d+:[0-9a-f]+ to h1: >enc:\d+:[0-9a-f]+<\n", log);
        // The perm log keeps 1.53's line: the command as lonnet spooled it.
        Assert.Contains(":S:h1:encrypt:echo:the-plain-answer:", h.Sandbox.ReadPermLog());
    }

    [Fact]
    public void Undelivered_empty_and_unreadable_messages_are_kept()
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncInitTimeout"] = "2" });
        var dir = h.Sandbox.Builder.DelayedDir;
        File.WriteAllText(Path.Combine(dir, "1100000000.0.1.empty.h1"), "");
        Directory.CreateDirectory(Path.Combine(dir, "1100000000.1.1.adirectory.h1"));
        File.WriteAllText(Path.Combine(dir, "1100000001.0.1.echohang.h1"), "echo:hang\n");
        // lond completes the handshake, then never answers: the replay times out.
        h.Lond.Behaviour = LondBehaviour.Hang;
        var child = h.Start();
        Eventually.Assert(() => h.Sandbox.ReadLog().Contains("not delivered"), Wait, "replay timeout logged", h.Detail);
        Assert.True(File.Exists(Path.Combine(dir, "1100000000.0.1.empty.h1")));
        Assert.True(File.Exists(Path.Combine(dir, "1100000001.0.1.echohang.h1")));
        Assert.Contains("is empty; kept", h.Sandbox.ReadLog());
        Assert.DoesNotContain(":S:", h.Sandbox.ReadPermLog());

        // The child gives up (the parent would restart it); once lond answers again, the next child delivers.
        Assert.True(child.WaitForExit(Wait), h.Detail());
        Assert.Equal(1, child.ExitCode);
        h.Lond.Behaviour = LondBehaviour.Normal;
        h.StartReady();
        Assert.False(File.Exists(Path.Combine(dir, "1100000001.0.1.echohang.h1")));
        Assert.True(File.Exists(Path.Combine(dir, "1100000000.0.1.empty.h1")));
        Assert.Contains(":S:h1:echo:hang:", h.Sandbox.ReadPermLog());
    }

    [Fact]
    public void A_delayed_file_without_its_newline_waits_for_a_later_round()
    {
        using var h = new ChildHarness(LondBehaviour.Normal);
        var dir = h.Sandbox.Builder.DelayedDir;
        var path = Path.Combine(dir, "1100000000.0.1.echopartial.h1");
        // lonnet is still writing "echo:partial\n": only the first bytes are there.
        File.WriteAllText(path, "echo:part");
        h.StartReady();
        Assert.True(File.Exists(path), "a half-written delayed message was deleted");
        Assert.DoesNotContain("echo:part", h.Lond.Requests);

        // A second round (after a lost link) while the file is still incomplete: skipped again, not logged again.
        h.Lond.Behaviour = LondBehaviour.DropAfterN;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:drop1"));
        Assert.Equal("served", UnixClient.Request(h.Socket, "echo:served"));
        Assert.True(File.Exists(path));

        // Complete, then a third round delivers the whole message.
        File.AppendAllText(path, "ial\n");
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:drop2"));
        Eventually.Assert(() => !File.Exists(path), Wait, "the completed message delivered and removed", h.Detail);
        h.Lond.Behaviour = LondBehaviour.Normal;
        Assert.Contains("echo:partial", h.Lond.Requests);
        Assert.DoesNotContain("echo:part", h.Lond.Requests);
        Assert.Contains(":S:h1:echo:partial:", h.Sandbox.ReadPermLog());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(h.Sandbox.ReadLog(), "does not end in a newline yet"));
    }
}
