using System.Net;
using System.Text;
using LegacyLonc.Crypto;
using LegacyLonc.Testbed;
using LegacyLonc.Tests.Support;
using static LegacyLonc.Tests.Testbed.TestbedNet;

namespace LegacyLonc.Tests.Testbed;

/// <summary>The lond emulator's side of spec §8, driven by a raw TCP client with the real cipher.</summary>
public class LondEmulatorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void Handshake_then_plain_and_encrypted_requests()
    {
        using var lond = StartLond(hosts: 2);
        using var c = Connect(lond);

        var challenge = c.Transact("init");
        Assert.Matches("^[0-9]+$", challenge);
        Assert.StartsWith(Environment.ProcessId.ToString(), challenge);
        Assert.Equal("ok", c.Transact(challenge!));
        Assert.Equal("ok", c.Transact("sethost:h1"));
        Assert.Equal("error:unknown_host", c.Transact("sethost:h2"));
        Assert.Equal("version:$Revision: 1.161 $", c.Transact("version:$Revison$"));
        Assert.Equal("h1:cl1", c.Transact("pong"));
        var buildKey = c.Transact("ekey");
        Assert.Matches("^[0-9A-F]{14,30}$", buildKey);
        Assert.Equal(1, lond.Handshakes);
        var cipher = new LinkCipher(LinkKey.Derive("h1", "cl1", buildKey!));

        Assert.Equal("h1", c.Transact("ping"));
        Assert.Equal("hello world", c.Transact("echo:hello world"));
        Assert.Equal("secret:x", c.Transact(cipher.EncryptRequest("echo:secret:x")));
        Assert.Equal("unknown_cmd", c.Transact("currentauth:msu:smith"));
        Assert.Equal("error:bad_enc", c.Transact("enc:5:zz"));
        Assert.Equal("bye", c.Transact("exit"));
        Assert.True(c.SeesEof());

        Assert.Equal(new[] { "ping", "echo:hello world", "echo:secret:x", "currentauth:msu:smith", "enc:5:zz", "exit" }, lond.Requests);
        Assert.Equal(new[] { false, false, true, false, false, false }, lond.RequestLog.Select(r => r.Encrypted));
        Assert.All(lond.RequestLog, r => Assert.Equal(("h1", 1), (r.HostId, r.Connection)));
        Assert.Equal(new[] { "h1 init", $"h1 {challenge}", "h1 sethost:h1", "h1 sethost:h2", "h1 version:$Revison$", "h1 pong", "h1 ekey", "h1 ping" },
            lond.Dialogue.Take(8));
        Assert.Contains(lond.Dialogue, l => l.StartsWith("h1 enc:13:", StringComparison.Ordinal));
        Assert.Equal((1, 1, 0), (lond.Connections, lond.ConnectionsTo("h1"), lond.ConnectionsTo("h2")));
        Eventually.Assert(() => lond.OpenConnections == 0, Wait, "connection closed after exit");
    }

    [Fact]
    public void Each_address_answers_as_its_own_host()
    {
        using var lond = StartLond(hosts: 3);
        for (var i = 0; i < 3; i++)
        {
            using var c = Connect(lond, host: i);
            c.Open($"h{i + 1}", "cl1");
            Assert.Equal($"h{i + 1}", c.Transact("ping"));
            Assert.Equal("yes", c.Transact(c.Cipher!.EncryptRequest("echo:yes")));
        }
        Assert.Equal(3, lond.Handshakes);
        Assert.Equal(new[] { "h1", "h2", "h3" }, lond.RequestLog.Select(r => r.HostId).Distinct());
    }

    [Fact]
    public void Pipelined_requests_are_answered_in_order()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        var batch = new StringBuilder();
        for (var i = 0; i < 2000; i++)
            batch.Append("echo:").Append(i).Append('\n');
        c.SendRaw(Encoding.ASCII.GetBytes(batch.ToString()));
        for (var i = 0; i < 2000; i++)
            Assert.Equal(i.ToString(), c.ReadLine());
        Assert.True(lond.WaitForRequests(2000, Wait));
    }

    [Fact]
    public void Trailing_cr_and_extra_newline_are_stripped()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Send("init\r");
        var challenge = c.ReadLine();
        Assert.Equal("ok", c.Transact(challenge + "\r"));
        Assert.Equal("h1", c.Transact("ping\r"));
        Assert.Equal("a b ", c.Transact("echo:a b \r"));
        Assert.Equal(new[] { "ping", "echo:a b " }, lond.Requests);
    }

    [Fact]
    public void Requests_without_ekey_are_recorded_and_enc_is_refused()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Init();
        Assert.Equal("h1", c.Transact("ping"));
        Assert.Equal("error:bad_enc", c.Transact("enc:0:3fed24994b125af0"));
        Assert.Equal(0, lond.Handshakes);
        Assert.Equal(new[] { "ping", "enc:0:3fed24994b125af0" }, lond.Requests);
        // After ekey the setup words are ordinary requests.
        c.Transact("ekey");
        Assert.Equal("h1:cl1", c.Transact("pong"));
        Assert.Equal("pong", lond.Requests[^1]);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    public void Wrong_first_line_is_refused(string first)
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        Assert.Equal("refused", c.Transact(first));
        Assert.True(c.SeesEof());
        Assert.Empty(lond.Requests);
    }

    [Fact]
    public void Wrong_challenge_echo_is_refused()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        var challenge = c.Transact("init");
        Assert.Equal("refused", c.Transact(challenge + "1"));
        Assert.True(c.SeesEof());
    }

    [Fact]
    public void Fixed_short_buildkey_shows_the_unchomped_newline_hazard()
    {
        using var lond = StartLond(buildKey: "12345");
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("12345", c.BuildKey);
        Assert.Equal("fine", c.Transact(c.Cipher!.EncryptRequest("echo:fine")));
        // lonc 1.53 kept the "\n" of the buildkey in its key: lond cannot read what it sends.
        var unchomped = new LinkCipher(LinkKey.Derive("h1", "cl1", "12345\n"));
        Assert.Equal("unknown_cmd", c.Transact(unchomped.EncryptRequest("echo:fine")));
        Assert.NotEqual("echo:fine", lond.Requests[^1]);
    }

    [Fact]
    public void Only_loopback_addresses_are_accepted()
    {
        Assert.Throws<ArgumentException>(() => new LondEmulator(new LondEmulatorOptions
        {
            Listen = new[] { (IPAddress.Parse("10.1.2.3"), "h1") },
            Port = 5663,
            ClientId = "cl1",
        }));
        Assert.Throws<ArgumentException>(() => new LondEmulator(new LondEmulatorOptions
        {
            Listen = new[] { (IPAddress.IPv6Loopback, "h1") },
            Port = 5663,
            ClientId = "cl1",
        }));
        Assert.True(LondEmulator.IsLoopback(IPAddress.Parse("127.255.0.1")));
    }

    [Fact]
    public void Start_fails_cleanly_when_an_address_is_taken()
    {
        using var lond = StartLond(hosts: 2);
        using var second = new LondEmulator(new LondEmulatorOptions
        {
            Listen = new[] { (Addresses(1)[0], "other"), (Address(lond, 1), "h2") },
            Port = lond.Port,
            ClientId = "cl1",
        });
        var e = Assert.Throws<IOException>(second.Start);
        Assert.Contains(Address(lond, 1).ToString(), e.Message);
        // The first address was released again: binding it anew works.
        using var third = new LondEmulator(new LondEmulatorOptions
        {
            Listen = second.ListenOn.Take(1).ToList(),
            Port = lond.Port,
            ClientId = "cl1",
        });
        third.Start();
    }

    [Fact]
    public void Stop_closes_connections_and_restart_serves_again()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        Assert.Equal("h1", c.Transact("ping"));

        lond.Restart();
        Assert.True(c.SeesEof());
        using var again = Connect(lond);
        again.Open("h1", "cl1");
        Assert.Equal("h1", again.Transact("ping"));
        Assert.Equal((2, 2, 2), (lond.Connections, lond.Handshakes, lond.RequestCount));

        lond.Stop();
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => Connect(lond));
    }

    [Fact]
    public void Clear_records_and_wait_for_requests()
    {
        using var lond = StartLond();
        using var c = Connect(lond);
        c.Open("h1", "cl1");
        c.Transact("ping");
        lond.ClearRecords();
        Assert.Empty(lond.Requests);
        Assert.Empty(lond.Dialogue);
        Assert.False(lond.WaitForRequests(1, TimeSpan.FromMilliseconds(50)));
        c.Transact("echo:again");
        Assert.True(lond.WaitForRequests(1, Wait));
        Assert.Equal(new[] { "echo:again" }, lond.Requests);
        Assert.True(lond.WaitForHandshakes(1, Wait));
    }

    [Fact]
    public void Serves_a_hundred_concurrent_connections()
    {
        using var lond = StartLond(hosts: 4);
        var clients = new List<RawLondClient>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var c = Connect(lond, host: i % 4);
                clients.Add(c);
                c.Init();
            }
            Eventually.Assert(() => lond.OpenConnections == 100, Wait, "100 open connections");
            for (var i = 0; i < 100; i++)
                Assert.Equal($"{i}", clients[i].Transact($"echo:{i}"));
        }
        finally
        {
            foreach (var c in clients)
                c.Dispose();
        }
        Eventually.Assert(() => lond.OpenConnections == 0, Wait, "all closed");
        Assert.Equal(25, lond.ConnectionsTo("h4"));
    }

    [Fact]
    public void Buildkey_follows_lond_shape()
    {
        var rnd = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var key = LondBuildKey.Create(1059660000, 12345, rnd);
            Assert.Matches("^[0-9]{1,5}[0789A-F]{10}[0789A-F]{5}[0789A-F]{1,5}[0-9]{1,5}$", key);
            Assert.InRange(key.Length, 14, 30);
        }
        // time 1059660000 and pid 12345 become "A0E9FF0000" and "ABCDE".
        Assert.Contains("A0E9FF0000ABCDE", LondBuildKey.Create(1059660000, 12345, new Random(1)));
    }
}
