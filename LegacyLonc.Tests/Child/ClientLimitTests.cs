using System.Net.Sockets;
using System.Text;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Child;

/// <summary>Clients that do not play along (never read, or arrive in hundreds) against the real child.</summary>
public class ClientLimitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(1, 64)]
    // Requests small enough for eight to a batch: the pause still holds between batches.
    [InlineData(8, 2)]
    public void A_client_that_pipelines_and_never_reads_is_paused_and_the_others_are_served(int depth, int requestKiB)
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncPipelineDepth"] = depth.ToString() });
        h.StartReady();
        for (var i = 0; i < 50; i++)
            Assert.Equal($"w{i}", UnixClient.Request(h.Socket, $"echo:w{i}"));
        var idle = h.ResidentKiB();

        // 64 MiB of echo requests, each answered by a reply as long that the client never reads.
        var one = Encoding.ASCII.GetBytes("echo:" + new string('p', (requestKiB << 10) - 6) + "\n");
        var perSend = (1 << 20) / one.Length;
        var batch = new byte[one.Length * perSend];
        for (var i = 0; i < perSend; i++)
            one.CopyTo(batch, i * one.Length);
        using var hog = ChildRelayTests.Connect(h.Socket);
        hog.SendTimeout = 2000;
        long sent = 0;
        try
        {
            while (sent < 64L << 20)
            {
                var offset = 0;
                while (offset < batch.Length)
                    offset += hog.Send(batch, offset, batch.Length - offset, SocketFlags.None);
                sent += batch.Length;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            // The child stopped reading from us: the expected outcome.
        }

        Assert.Equal("other", UnixClient.Request(h.Socket, "echo:other"));
        var busy = h.ResidentKiB();
        Assert.True(busy <= idle + 24 * 1024, $"RSS {busy} KiB with a non-reading client (idle {idle} KiB; it sent {sent >> 20} MiB)");
        Assert.True(sent < 16L << 20, $"the child read {sent >> 20} MiB of requests whose replies nobody reads");

        // Once it reads, it gets every reply it asked for, in order, and the child's memory comes back.
        var expected = sent / one.Length;
        hog.ReceiveTimeout = 15000;
        var reader = new byte[one.Length - "echo:".Length];
        for (long r = 0; r < Math.Min(expected, 8); r++)
        {
            var got = 0;
            while (got < reader.Length)
            {
                var n = hog.Receive(reader, got, reader.Length - got, SocketFlags.None);
                Assert.True(n > 0, $"EOF after {r} replies");
                got += n;
            }
            Assert.Equal((byte)'p', reader[0]);
            Assert.Equal((byte)'\n', reader[^1]);
        }
        hog.Dispose();
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:calm") == "calm", Wait, "service after the hog left", h.Detail);
        var after = h.ResidentKiB();
        Assert.True(after <= 2 * idle, $"RSS {after} KiB after the non-reading client left (idle {idle} KiB)");
    }

    [Fact]
    public void Running_out_of_descriptors_refuses_clients_and_never_crashes_the_child()
    {
        using var h = new ChildHarness();
        var child = h.StartReadyUnder("ulimit -n 128");
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
                clients.Add(ChildRelayTests.Connect(h.Socket));
            // A refused client hears con_lost at once; the rest stay connected and idle.
            var refused = 0;
            foreach (var c in clients)
            {
                c.ReceiveTimeout = 200;
                if (c.Poll(0, SelectMode.SelectRead) || Eventually.True(() => c.Available > 0 || c.Poll(0, SelectMode.SelectRead), TimeSpan.FromMilliseconds(50)))
                    refused++;
            }
            Assert.False(child.HasExited, h.Detail());
            Eventually.Assert(() => h.Sandbox.ReadLog().Contains("refusing new clients"), Wait, "the refusal logged", h.Detail);
            Assert.True(refused > 0, "no client was refused");
        }
        finally
        {
            foreach (var c in clients)
                c.Dispose();
        }
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:room again") == "room again", Wait, "service once the idle clients left", h.Detail);
        Assert.False(child.HasExited);
        var log = h.Sandbox.ReadLog();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(log, "refusing new clients"));
        Assert.Contains("accepting clients again", log);
    }
}
