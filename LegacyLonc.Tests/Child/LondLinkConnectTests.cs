using System.Net;
using System.Net.Sockets;
using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

/// <summary><see cref="LondLink.Open"/> in-process, against a loopback listener.</summary>
public class LondLinkConnectTests
{
    [Fact]
    public void A_link_returned_by_connect_is_never_closed_by_its_own_deadline()
    {
        // A deadline of zero races the loopback connect itself: a timer that fired as the connect completed
        // could close a link that had already been handed out.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 0));
        listener.Listen(512);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var server = new Thread(() => Serve(listener)) { IsBackground = true };
        server.Start();

        var returned = 0;
        var broken = new List<string>();
        for (var i = 0; i < 1500 && broken.Count < 5; i++)
        {
            var link = new LondLink("t", null, null);
            if (!link.Open(endpoint, TimeSpan.Zero, out _))
                continue;
            link.MarkReady();
            returned++;
            try
            {
                // Give a deadline that already passed every chance to act on the link it no longer owns.
                Thread.Sleep(1);
                var outcome = link.Transaction("x"u8, TimeSpan.FromSeconds(5), out var reply);
                if (outcome != LinkOutcome.Reply || !reply.Span.SequenceEqual("hi\n"u8))
                    broken.Add($"#{i}: {outcome}");
                link.Dispose();
            }
            catch (ObjectDisposedException)
            {
                broken.Add($"#{i}: closed under us");
            }
        }
        listener.Dispose();
        server.Join(TimeSpan.FromSeconds(5));
        Assert.True(returned > 0, "no connect succeeded at all");
        Assert.True(broken.Count == 0, $"{broken.Count} of {returned} returned links were unusable: {string.Join(", ", broken)}");
    }

    private static void Serve(Socket listener)
    {
        while (true)
        {
            Socket s;
            try
            {
                s = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            try
            {
                s.Send("hi\n"u8);
            }
            catch (SocketException)
            {
                // The link under test was closed already: that test iteration reports it.
            }
            s.Dispose();
        }
    }
}
