using System.Net.Sockets;
using System.Text;
using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

/// <summary>RequestBatch's bounds and wire buffer, ReadyClients' round-robin order, RequestRelay.Classify.</summary>
public class RequestBatchTests
{
    private static ClientConnection Client() => new(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));

    private static ReadOnlyMemory<byte> Line(string text) => Encoding.ASCII.GetBytes(text + "\n");

    [Fact]
    public void A_batch_is_full_at_its_depth()
    {
        var batch = new RequestBatch(3);
        using var c = Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.False(batch.IsFull);
            batch.Add(c, RequestKind.Lond, Line($"echo:{i}"));
        }
        Assert.True(batch.IsFull);
        Assert.Throws<InvalidOperationException>(() => batch.Add(c, RequestKind.Lond, Line("echo:more")));
        Assert.Equal((3, 3), (batch.Count, batch.LondCount));
    }

    [Fact]
    public void A_batch_takes_a_long_first_line_but_nothing_after_the_byte_limit()
    {
        var batch = new RequestBatch(64);
        using var c = Client();
        batch.Add(c, RequestKind.Lond, Line("echo:" + new string('x', Limits.BatchRequestBytes * 2)));
        Assert.True(batch.IsFull);
        batch.Clear();
        batch.Add(c, RequestKind.Lond, Line("echo:" + new string('x', Limits.BatchRequestBytes - 100)));
        Assert.False(batch.IsFull);
        batch.Add(c, RequestKind.Lond, Line("echo:" + new string('y', 200)));
        Assert.True(batch.IsFull);
    }

    [Fact]
    public void Nothing_follows_close_connection_exit_and_local_entries_are_not_for_lond()
    {
        var batch = new RequestBatch(8);
        using var c = Client();
        batch.Add(c, RequestKind.ResetRetries, Line("reset_retries"));
        batch.Add(c, RequestKind.Lond, Line("echo:a"));
        batch.Add(c, RequestKind.CloseConnectionExit, Line("close_connection_exit"));
        Assert.True(batch.IsFull);
        Assert.Equal((3, 1), (batch.Count, batch.LondCount));
    }

    [Fact]
    public void The_wire_holds_each_entry_once_with_one_newline()
    {
        var batch = new RequestBatch(4);
        using var c = Client();
        batch.Add(c, RequestKind.Lond, Line("echo:a"));
        batch.Add(c, RequestKind.ResetRetries, Line("reset_retries"));
        batch.Add(c, RequestKind.Lond, Line("encrypt:echo:b"));
        batch.AppendWire(0, batch[0].Line.Span);
        batch.AppendWire(2, "enc:6:0011223344556677"u8);
        Assert.Equal("echo:a\nenc:6:0011223344556677\n", Encoding.ASCII.GetString(batch.Wire));
        Assert.Equal("echo:a", Encoding.ASCII.GetString(batch.WireText(0)));
        Assert.Equal("", Encoding.ASCII.GetString(batch.WireText(1)));
        Assert.Equal("enc:6:0011223344556677", Encoding.ASCII.GetString(batch.WireText(2)));
    }

    [Fact]
    public void Clear_empties_the_batch_and_lets_a_grown_wire_buffer_go()
    {
        var batch = new RequestBatch(2);
        using var c = Client();
        batch.Add(c, RequestKind.Lond, Line("echo:" + new string('x', 100_000)));
        batch.AppendWire(0, batch[0].Line.Span);
        Assert.True(batch.Clear() > Limits.KeepBufferUpTo);
        Assert.Equal((0, 0, 0), (batch.Count, batch.LondCount, batch.Wire.Length));
        Assert.False(batch.IsFull);
        batch.Add(c, RequestKind.Lond, Line("echo:small"));
        batch.AppendWire(0, batch[0].Line.Span);
        Assert.Equal(0, batch.Clear());
    }

    [Fact]
    public void An_entry_knows_when_the_same_client_has_a_later_one_in_the_batch()
    {
        var batch = new RequestBatch(8);
        using var a = Client();
        using var b = Client();
        batch.Add(a, RequestKind.Lond, Line("echo:a1"));
        batch.Add(b, RequestKind.Lond, Line("echo:b1"));
        batch.Add(a, RequestKind.ResetRetries, Line("reset_retries"));
        Assert.Equal(new[] { true, false, false }, new[] { batch[0].MoreFollow, batch[1].MoreFollow, batch[2].MoreFollow });
        batch.Clear();
        // a's slot from the last batch points at b's entry now: no mix-up.
        batch.Add(b, RequestKind.Lond, Line("echo:b2"));
        batch.Add(b, RequestKind.Lond, Line("echo:b3"));
        batch.Add(b, RequestKind.Lond, Line("echo:b4"));
        batch.Add(a, RequestKind.Lond, Line("echo:a2"));
        Assert.Equal(new[] { true, true, false, false }, Enumerable.Range(0, 4).Select(i => batch[i].MoreFollow));
    }

    [Fact]
    public void Ready_clients_come_round_robin_and_each_only_once()
    {
        var ready = new ReadyClients();
        using var a = Client();
        using var b = Client();
        ready.Add(a);
        ready.Add(b);
        ready.Add(a);
        Assert.Equal(2, ready.Count);
        Assert.True(ready.TryTake(out var first));
        Assert.Same(a, first);
        ready.Add(a); // a has more: behind b
        Assert.True(ready.TryTake(out var second));
        Assert.Same(b, second);
        Assert.True(ready.TryTake(out var third));
        Assert.Same(a, third);
        Assert.False(ready.TryTake(out _));
    }

    [Theory]
    [InlineData("reset_retries\n", RequestKind.ResetRetries)]
    [InlineData("close_connection_exit\n", RequestKind.CloseConnectionExit)]
    [InlineData("close_connection_exit", RequestKind.CloseConnectionExit)]
    [InlineData("reset_retries:x\n", RequestKind.Lond)]
    [InlineData("encrypt:reset_retries\n", RequestKind.Lond)]
    [InlineData("echo:a\n", RequestKind.Lond)]
    public void Requests_are_classified(string line, RequestKind kind) =>
        Assert.Equal(kind, RequestRelay.Classify(Encoding.ASCII.GetBytes(line)));
}
