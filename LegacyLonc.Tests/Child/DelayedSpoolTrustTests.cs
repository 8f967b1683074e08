using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// The delayed spool replays only what lonc's own user put there, and only to the host the file names: whatever
/// else a local user plants in <c>delayed/</c> is logged once, never sent, never deleted, and stops nothing.
/// </summary>
public class DelayedSpoolTrustTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void Planted_files_are_logged_once_kept_and_not_sent_while_good_ones_beside_them_are_delivered()
    {
        using var h = new ChildHarness();
        var dir = h.Sandbox.Builder.DelayedDir;
        string Spool(string name, string content)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, content);
            return path;
        }
        var good1 = Spool("1100000000.0.1.echogood1.h1", "echo:good1\n");
        // Another user's file: the command of a local user sent as this server's request.
        var foreign = Spool("1100000001.0.1.encryptchangeuserauth.h1", "encrypt:echo:foreign\n");
        var nobody = Syscall.getpwnam("nobody") ?? throw new InvalidOperationException("no user nobody");
        Assert.True(Syscall.chown(foreign, nobody.pw_uid, nobody.pw_gid) == 0, "chown to nobody (the suite runs as root)");
        // A link to a secret lonc's user can read: its first line would go to lond and into the perm log.
        var secret = Path.Combine(h.Sandbox.Builder.Root, "secret.txt");
        File.WriteAllText(secret, "echo:the-secret\n");
        var symlink = Path.Combine(dir, "1100000002.0.1.echosecret.h1");
        File.CreateSymbolicLink(symlink, secret);
        // A FIFO: opening it to read would hang the child before it listens.
        var fifo = Path.Combine(dir, "1100000003.0.1.fifo.h1");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR));
        // A link to /dev/zero: an endless first line.
        var zero = Path.Combine(dir, "1100000004.0.1.zero.h1");
        File.CreateSymbolicLink(zero, "/dev/zero");
        // A second name for a file of lonc's user.
        var hardLinked = Spool("1100000005.0.1.echolinked.h1", "echo:linked\n");
        Assert.Equal(0, Syscall.link(hardLinked, Path.Combine(h.Sandbox.Builder.Root, "other-name")));
        // Not lonnet's naming, though it ends in ".h1" (1.53 sent it).
        var misnamed = Spool("garbage<b>.h1", "echo:misnamed\n");
        var good2 = Spool("1100000009.0.1.echogood2.h1", "echo:good2\n");
        var planted = new[] { foreign, symlink, fifo, zero, hardLinked, misnamed };

        h.StartReady();

        Eventually.Assert(() => !File.Exists(good2), Wait, "the good files delivered", h.Detail);
        Assert.False(File.Exists(good1));
        Assert.Equal(new[] { "echo:good1", "echo:good2" }, h.Lond.Requests.Where(r => r.StartsWith("echo:", StringComparison.Ordinal)));
        Assert.All(planted, p => Assert.True(Path.Exists(p), $"{p} was removed"));
        var perm = h.Sandbox.ReadPermLog();
        Assert.Equal(2, perm.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("secret", perm);

        // A second round (after a lost link) sends nothing more and logs nothing more.
        h.Lond.Behaviour = LondBehaviour.DropAfterN;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:drop"));
        // Served on a new link, after its replay.
        Assert.Equal("served", UnixClient.Request(h.Socket, "echo:served"));
        Assert.True(h.Lond.Handshakes >= 2, h.Detail());
        h.Lond.Behaviour = LondBehaviour.Normal;
        Assert.Equal("after", UnixClient.Request(h.Socket, "echo:after"));

        Assert.Equal(new[] { "echo:good1", "echo:good2", "echo:drop", "echo:served", "echo:after" },
            h.Lond.Requests.Where(r => r.StartsWith("echo:", StringComparison.Ordinal)));
        Assert.All(planted, p => Assert.True(Path.Exists(p), $"{p} was removed"));
        var warnings = h.Sandbox.ReadLog().Split('\n').Where(l => l.Contains("WARNING: Delayed message", StringComparison.Ordinal)).ToList();
        Assert.Equal(planted.Length, warnings.Count);
        Assert.Single(warnings, w => w.Contains($"{foreign} is owned by uid {nobody.pw_uid}, not by lonc's user (uid {Syscall.geteuid()}); not sent, kept", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Contains($"{symlink} is a symbolic link; not sent, kept", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Contains($"{fifo} is a FIFO, not a regular file; not sent, kept", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Contains($"{zero} is a symbolic link; not sent, kept", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Contains($"{hardLinked} has 2 links", StringComparison.Ordinal));
        // The name is escaped: it is text in loncron's HTML view.
        Assert.Single(warnings, w => w.Contains($"{dir}/garbage&lt;b&gt;.h1 is not named epoch.count.pid.cmd.h1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_message_spooled_for_msu_l1_is_not_taken_by_the_child_of_l1()
    {
        // The child's host is h1; "x.h1" is another host whose id ends in ".h1", as msu.l1 ends in ".l1".
        using var h = new ChildHarness();
        var dir = h.Sandbox.Builder.DelayedDir;
        var other = Path.Combine(dir, "1100000000.0.1.echoother.x.h1");
        File.WriteAllText(other, "echo:for-x.h1\n");
        var mine = Path.Combine(dir, "1100000001.0.1.echomine.h1");
        File.WriteAllText(mine, "echo:for-h1\n");

        h.StartReady();

        Eventually.Assert(() => !File.Exists(mine), Wait, "h1's own message delivered", h.Detail);
        Assert.True(File.Exists(other), "the message for x.h1 was removed by the child of h1");
        Assert.DoesNotContain("echo:for-x.h1", h.Lond.Requests);
        Assert.DoesNotContain("for-x.h1", h.Sandbox.ReadLog());
        Assert.DoesNotContain(":S:h1:echo:for-x.h1", h.Sandbox.ReadPermLog());
    }
}
