using System.Net.Sockets;
using System.Text;
using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

/// <summary>RequestWindow's order, bounds and kept texts; RequestBatch's room behind a window.</summary>
public class RequestWindowTests
{
    private static ClientConnection Client() => new(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));

    private static ReadOnlySpan<byte> Text(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Requests_leave_the_window_oldest_first_with_their_own_deadline_and_text()
    {
        var window = new RequestWindow(3);
        using var a = Client();
        using var b = Client();
        window.Add(a, Text("echo:a1"), 8, 100);
        window.Add(b, Text("echo:b1"), 8, 200);
        window.Add(a, Text("enc:6:00"), 15, 300);
        Assert.Equal((3, 0, 31), (window.Count, window.Room, window.RequestBytes));
        Assert.Throws<InvalidOperationException>(() => window.Add(b, Text("echo:b2"), 8, 400));

        Assert.Equal((100L, "echo:a1"), (window.HeadDeadline, Encoding.ASCII.GetString(window.HeadText)));
        Assert.Same(a, window.Retire());
        // Room again, and the ring wraps: the newest goes behind the rest.
        window.Add(b, Text("echo:b2"), 8, 400);
        var order = new List<(ClientConnection, long, string)>();
        while (!window.IsEmpty)
        {
            var entry = (window.HeadClient, window.HeadDeadline, Encoding.ASCII.GetString(window.HeadText));
            Assert.Same(entry.HeadClient, window.Retire());
            order.Add(entry);
        }
        Assert.Equal(new[] { (b, 200L, "echo:b1"), (a, 300L, "enc:6:00"), (b, 400L, "echo:b2") }, order);
        Assert.Equal(0, window.RequestBytes);
        Assert.Throws<InvalidOperationException>(() => window.Retire());
    }

    [Fact]
    public void A_long_request_keeps_just_enough_text_for_its_log_line()
    {
        var window = new RequestWindow(2);
        using var c = Client();
        var line = "echo:" + new string('x', 5000);
        window.Add(c, Text(line), line.Length + 1, 1);
        Assert.Equal(RequestWindow.TextKept, window.HeadText.Length);
        // The log line quotes the same either way: the first 200 bytes and "...".
        Assert.Equal(PeerText.Line(Text(line)), PeerText.Line(window.HeadText));
        Assert.Equal(line.Length + 1, window.RequestBytes);
    }

    [Fact]
    public void A_batch_behind_a_window_takes_only_the_room_left_and_counts_the_bytes_in_flight()
    {
        var batch = new RequestBatch(8);
        using var c = Client();
        batch.Open(room: 2, requestBytesInFlight: 100);
        batch.Add(c, RequestKind.Lond, Encoding.ASCII.GetBytes("echo:a\n"));
        Assert.False(batch.IsFull);
        batch.Add(c, RequestKind.Lond, Encoding.ASCII.GetBytes("echo:b\n"));
        Assert.True(batch.IsFull);
        batch.Clear();
        // Cleared: the whole depth again.
        for (var i = 0; i < 8; i++)
            batch.Add(c, RequestKind.Lond, Encoding.ASCII.GetBytes($"echo:{i}\n"));
        Assert.True(batch.IsFull);
        batch.Clear();
        // Requests in flight at the byte limit: nothing more until they are answered.
        batch.Open(room: 8, requestBytesInFlight: Limits.BatchRequestBytes);
        Assert.True(batch.IsFull);
        batch.Clear();
        batch.Open(room: 0, requestBytesInFlight: 0);
        Assert.True(batch.IsFull);
    }
}
