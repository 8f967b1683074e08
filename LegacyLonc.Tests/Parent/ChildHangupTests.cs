using System.Net.Sockets;
using System.Text;
using LegacyLonc.Parent;

namespace LegacyLonc.Tests.Parent;

/// <summary>The parallel <c>exit</c> round of the hang-up, against real UNIX listeners.</summary>
public sealed class ChildHangupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-hup-").FullName;
    private readonly List<Socket> _listeners = new();

    public void Dispose()
    {
        foreach (var l in _listeners)
            l.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A listener that answers each connection's first line with <paramref name="reply"/> (null: never answers).</summary>
    private string Listener(string name, string? reply)
    {
        var path = Path.Combine(_dir, name);
        var l = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        l.Bind(new UnixDomainSocketEndPoint(path));
        l.Listen(10);
        _listeners.Add(l);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var c = await l.AcceptAsync();
                    var buf = new byte[64];
                    var n = await c.ReceiveAsync(buf, SocketFlags.None);
                    if (reply != null && Encoding.UTF8.GetString(buf, 0, n) == "exit\n")
                        await c.SendAsync(Encoding.UTF8.GetBytes(reply + "\n"), SocketFlags.None);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        return path;
    }

    [Fact]
    public void Each_child_answers_for_itself_and_silence_or_absence_is_con_lost()
    {
        var a = Listener("a", "bye");
        var silent = Listener("silent", null);
        var b = Listener("b", "ok");
        var missing = Path.Combine(_dir, "missing");

        // Generous: a loaded CI machine must still get the two answers in before the silent one times out.
        var replies = ChildHangup.Ask(new[] { a, silent, missing, b }, "exit", TimeSpan.FromSeconds(3));

        Assert.Equal(new[] { "bye", ChildHangup.ConLost, ChildHangup.ConLost, "ok" }, replies);
    }

    [Fact]
    public async Task Many_silent_children_share_one_deadline()
    {
        var paths = Enumerable.Range(0, 20).Select(i => Listener($"s{i}", null)).ToArray();
        var done = Task.Run(() => ChildHangup.Ask(paths, "exit", TimeSpan.FromMilliseconds(300)));
        // Twenty sequential timeouts would need 6 s; the shared deadline ends them together.
        Assert.Same(done, await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.All(await done, r => Assert.Equal(ChildHangup.ConLost, r));
    }

    [Fact]
    public void No_children_no_replies()
    {
        Assert.Empty(ChildHangup.Ask(Array.Empty<string>(), "exit", TimeSpan.FromSeconds(1)));
    }
}
