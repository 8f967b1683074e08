using System.Text;
using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

public class LineBufferTests
{
    private static string Take(LineBuffer b) =>
        b.TryTakeLine(out var line) ? Encoding.ASCII.GetString(line.Span) : "<none>";

    [Fact]
    public void Complete_lines_come_out_in_order_with_their_newline()
    {
        var b = new LineBuffer(100);
        b.Append("ping\necho:a\n"u8);
        Assert.Equal("ping\n", Take(b));
        Assert.Equal("echo:a\n", Take(b));
        Assert.Equal("<none>", Take(b));
        Assert.Equal(0, b.PendingBytes);
    }

    [Fact]
    public void Partial_line_waits_for_the_rest()
    {
        var b = new LineBuffer(100);
        b.Append("pi"u8);
        Assert.Equal("<none>", Take(b));
        b.Append("ng\nec"u8);
        Assert.Equal("ping\n", Take(b));
        Assert.Equal("<none>", Take(b));
        Assert.Equal(2, b.PendingBytes);
        b.Append("ho\n"u8);
        Assert.Equal("echo\n", Take(b));
    }

    [Fact]
    public void Bytes_arriving_one_at_a_time_form_the_same_lines()
    {
        var b = new LineBuffer(100);
        var got = new List<string>();
        foreach (var c in "a\nbb\n\nccc\n"u8.ToArray())
        {
            b.Append(new[] { c });
            while (b.TryTakeLine(out var l))
                got.Add(Encoding.ASCII.GetString(l.Span));
        }
        Assert.Equal(new[] { "a\n", "bb\n", "\n", "ccc\n" }, got);
    }

    [Fact]
    public void Unterminated_data_past_the_limit_is_an_overflow()
    {
        var b = new LineBuffer(10);
        b.Append("0123456789"u8);
        Assert.False(b.Overflowed);
        b.Append("X"u8);
        Assert.True(b.Overflowed);
        Assert.Equal("<none>", Take(b));
    }

    [Fact]
    public void A_complete_line_longer_than_the_limit_is_refused_but_earlier_lines_are_served()
    {
        var b = new LineBuffer(10);
        b.Append("ok\n0123456789ABC\n"u8);
        Assert.Equal("ok\n", Take(b));
        Assert.Equal("<none>", Take(b));
        Assert.True(b.HeadLineTooLong);
    }

    [Fact]
    public void Line_of_exactly_the_limit_is_accepted()
    {
        var b = new LineBuffer(10);
        b.Append("0123456789\n"u8);
        Assert.Equal("0123456789\n", Take(b));
    }

    [Fact]
    public void Buffer_compacts_instead_of_growing_under_a_steady_stream()
    {
        var b = new LineBuffer(1 << 20, 64);
        for (var i = 0; i < 10_000; i++)
        {
            var span = b.GetWriteSpan(16);
            "request-line-12\n"u8.CopyTo(span);
            b.Commit(16);
            Assert.True(b.TryTakeLine(out _));
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            b.Append("request-line-12\n"u8);
            Assert.True(b.TryTakeLine(out _));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_buffer_grown_for_one_long_line_shrinks_and_the_line_taken_stays_valid()
    {
        var b = new LineBuffer(1 << 20, 512);
        var longLine = new byte[300_000];
        longLine.AsSpan().Fill((byte)'l');
        longLine[^1] = (byte)'\n';
        b.Append(longLine);
        b.Append("next"u8);
        Assert.True(b.Capacity >= 300_004);
        Assert.True(b.TryTakeLine(out var taken));
        var grown = b.Capacity;
        Assert.Equal(grown, b.Shrink(64 << 10));
        Assert.Equal(512, b.Capacity);
        // The line taken before still reads right, and the partial line survived the move.
        Assert.True(taken.Span.SequenceEqual(longLine));
        b.Append("\n"u8);
        Assert.Equal("next\n", Take(b));
        Assert.Equal(0, b.Shrink(64 << 10));
    }

    [Fact]
    public void A_buffer_never_grows_past_the_limit_plus_one_receive()
    {
        var b = new LineBuffer(1000, 16);
        var chunk = new byte[100];
        chunk.AsSpan().Fill((byte)'x');
        for (var i = 0; i < 11 && !b.Overflowed; i++)
        {
            var span = b.GetWriteSpan(100);
            chunk.CopyTo(span);
            b.Commit(chunk.Length);
        }
        Assert.True(b.Overflowed);
        Assert.True(b.Capacity <= 1000 + 1 + 100, $"capacity {b.Capacity}");
    }
}

public class OutputBufferTests
{
    [Fact]
    public void Partial_sends_keep_the_rest_in_order()
    {
        var o = new OutputBuffer();
        o.Append("first\n"u8);
        o.Append("second\n"u8);
        o.Consume(3);
        Assert.Equal("st\nsecond\n", Encoding.ASCII.GetString(o.Pending));
        o.Consume(o.Length);
        Assert.True(o.IsEmpty);
    }

    [Fact]
    public void Grows_for_large_replies()
    {
        var o = new OutputBuffer();
        var big = new byte[100_000];
        big.AsSpan().Fill((byte)'x');
        o.Append("a"u8);
        o.Append(big);
        Assert.Equal(100_001, o.Length);
        o.Consume(1);
        Assert.True(o.Pending.SequenceEqual(big));
    }

    [Fact]
    public void An_emptied_output_buffer_that_grew_shrinks()
    {
        var o = new OutputBuffer();
        o.Append(new byte[200_000]);
        Assert.Equal(0, o.Shrink(64 << 10));
        o.Consume(o.Length);
        var grown = o.Capacity;
        Assert.Equal(grown, o.Shrink(64 << 10));
        Assert.True(o.Capacity < 1024);
        o.Append("still works\n"u8);
        Assert.Equal("still works\n", Encoding.ASCII.GetString(o.Pending));
    }
}
