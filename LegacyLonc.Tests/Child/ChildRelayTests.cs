using System.Net.Sockets;
using System.Text;
using LegacyLonc.Parent;
using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>The real <c>lonc --child</c> against a loopback lond emulator: handshake, relay, limits, signals.</summary>
public class ChildRelayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void Handshake_runs_in_1_53_order_and_logs_the_legacy_lines()
    {
        using var h = new ChildHarness();
        h.StartReady();
        var dialogue = h.Lond.Dialogue.Select(l => l.Split(' ', 2)[1]).ToList();
        Assert.True(dialogue.Count >= 7, h.Detail());
        Assert.Equal("init", dialogue[0]);
        Assert.Matches("^[0-9]+$", dialogue[1]);
        Assert.Equal(new[] { "sethost:h1", "version:$Revison$", "pong", "ekey" }, dialogue.Skip(2).Take(4));

        var log = h.Sandbox.ReadLog();
        var order = new[]
        {
            "INFO Connected to h1, initing", "Secure connection initialized", " Remote open success ",
            " Connection to h1 open ", "h1 online",
        };
        var at = 0;
        foreach (var text in order)
        {
            var i = log.IndexOf(text, at, StringComparison.Ordinal);
            Assert.True(i >= 0, $"missing or out of order: '{text}'\n{log}");
            at = i;
        }
        Assert.Matches(@"\(\d+\) \[h1\] \[[^\]]*\]: <font color=green>h1 online</font>", log);
    }

    [Fact]
    public void Plain_and_encrypted_requests_round_trip()
    {
        using var h = new ChildHarness();
        h.StartReady();
        Assert.Equal("hello world", UnixClient.Request(h.Socket, "echo:hello world"));
        Assert.Equal("top secret", UnixClient.Request(h.Socket, "encrypt:echo:top secret"));
        Assert.Equal("unknown_cmd", UnixClient.Request(h.Socket, "no-such-command"));
        Assert.Contains("echo:top secret", h.Lond.Requests);
        // Encrypted commands must never reach lond in the clear.
        Assert.DoesNotContain(h.Lond.Dialogue, l => l.EndsWith("encrypt:echo:top secret", StringComparison.Ordinal));
        Assert.Contains(h.Lond.Dialogue, l => l.Contains(" enc:15:", StringComparison.Ordinal));
    }

    [Fact]
    public void Encrypted_replies_are_decrypted_for_the_client()
    {
        using var h = new ChildHarness(LondBehaviour.EncReplies);
        h.StartReady();
        Assert.Equal("abc:def", UnixClient.Request(h.Socket, "echo:abc:def"));
        Assert.Equal("", UnixClient.Request(h.Socket, "echo:"));
        var longText = new string('z', 1000);
        Assert.Equal(longText, UnixClient.Request(h.Socket, "echo:" + longText));
    }

    [Fact]
    public void Fifty_concurrent_clients_each_get_their_own_replies()
    {
        using var h = new ChildHarness();
        h.StartReady();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 50 }, c =>
        {
            for (var r = 0; r < 20; r++)
            {
                var token = $"c{c}-r{r}-{Guid.NewGuid():N}";
                var reply = UnixClient.Request(h.Socket, "echo:" + token);
                if (reply != token)
                    failures.Add($"{token} -> {reply ?? "<null>"}");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void Slow_lond_replies_reach_every_waiting_client_one_transaction_at_a_time()
    {
        using var h = new ChildHarness(replyDelayMs: 200);
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.Slow;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var replies = new string?[5];
        Parallel.For(0, replies.Length, new ParallelOptions { MaxDegreeOfParallelism = replies.Length },
            i => replies[i] = UnixClient.Request(h.Socket, $"echo:slow{i}", 15000));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"slow{i}"), replies);
        // One blocking lond transaction at a time, as in 1.53: five 200 ms replies cannot overlap.
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(5 * 200), $"took only {sw.Elapsed}");
    }

    [Fact]
    public void Pipelined_requests_on_one_connection_are_answered_in_order()
    {
        using var h = new ChildHarness();
        h.StartReady();
        using var s = Connect(h.Socket);
        var batch = new StringBuilder();
        for (var i = 0; i < 200; i++)
            batch.Append($"echo:{i}\n");
        s.Send(Encoding.ASCII.GetBytes(batch.ToString()));
        for (var i = 0; i < 200; i++)
            Assert.Equal(i.ToString(), UnixClient.ReadLine(s));
    }

    [Fact]
    public void Partial_lines_wait_for_the_rest_of_the_request()
    {
        using var h = new ChildHarness();
        h.StartReady();
        using var s = Connect(h.Socket);
        s.Send("ech"u8.ToArray());
        // "ech" was readable before the first later client connected, so the child reads it no later than the
        // select turn that answers that client; the second later client is answered in a later turn. Had the
        // child answered the partial line, that reply would be waiting on s by then.
        Assert.Equal("later1", UnixClient.Request(h.Socket, "echo:later1"));
        Assert.Equal("later2", UnixClient.Request(h.Socket, "echo:later2"));
        Assert.False(s.Poll(0, SelectMode.SelectRead), "the partial line was answered");
        Assert.DoesNotContain(h.Lond.Requests, r => r.StartsWith("ech", StringComparison.Ordinal) && !r.StartsWith("echo:later", StringComparison.Ordinal));
        s.Send("o:split\nech"u8.ToArray());
        Assert.Equal("split", UnixClient.ReadLine(s));
        s.Send("o:second\n"u8.ToArray());
        Assert.Equal("second", UnixClient.ReadLine(s));
    }

    [Fact]
    public void A_client_hanging_up_mid_reply_does_not_disturb_the_others()
    {
        using var h = new ChildHarness();
        h.StartReady();
        var big = new string('q', 200_000);
        for (var i = 0; i < 5; i++)
        {
            using var rude = Connect(h.Socket);
            rude.Send(Encoding.ASCII.GetBytes($"echo:{big}\necho:{big}\n"));
            rude.Close();
        }
        Assert.Equal("still here", UnixClient.Request(h.Socket, "echo:still here"));
        Assert.False(h.Child!.HasExited);
    }

    [Fact]
    public void Lond_dropping_mid_request_answers_con_lost_then_service_resumes()
    {
        using var h = new ChildHarness(LondBehaviour.DropAfterN);
        h.StartReady();
        // DropAfter = 1: the ping of StartReady was the one answered request on this connection.
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:lost"));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:back") == "back", Wait, "service after reconnect", h.Detail);
        Assert.True(h.Lond.Connections >= 2);
        Assert.Contains("CRITICAL lond connection lost", h.Sandbox.ReadLog());
        Assert.Contains("Attempting to open a new connection", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Lond_hanging_times_out_with_con_lost_and_the_link_is_rebuilt()
    {
        using var h = new ChildHarness(extra: new Dictionary<string, string> { ["loncRequestTimeout"] = "1" });
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.Hang;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:never", 15000));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:again") == "again", Wait, "service after timeout", h.Detail);
        Assert.Contains("CRITICAL: Timeout: echo:never", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Garbage_encrypted_reply_fails_that_request_and_resets_the_link()
    {
        using var h = new ChildHarness();
        h.StartReady();
        var before = h.Lond.Connections;
        h.Lond.Behaviour = LondBehaviour.GarbageEnc;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:x"));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:fine") == "fine", Wait, "service after garbage", h.Detail);
        Assert.True(h.Lond.Connections > before);
        Assert.Contains("Garbage encrypted reply from h1", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Oversized_reply_without_newline_fails_the_request_and_resets_the_link()
    {
        // One byte past the 16 MiB reply limit, without a newline.
        using var h = new ChildHarness(garbageBytes: (16 << 20) + 1);
        h.StartReady();
        h.Lond.Behaviour = LondBehaviour.GarbageNoNewline;
        Assert.Equal("con_lost", UnixClient.Request(h.Socket, "echo:x", 15000));
        h.Lond.Behaviour = LondBehaviour.Normal;
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:ok") == "ok", Wait, "service after oversized reply", h.Detail);
        Assert.Contains("CRITICAL: Reply from h1 longer than 16777216 bytes without a newline: echo:x (h1, link busy)", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Oversized_request_gets_con_lost_and_only_that_client_is_disconnected()
    {
        using var h = new ChildHarness();
        h.StartReady();
        using var bystander = Connect(h.Socket);
        using var s = Connect(h.Socket);
        s.Send("echo:first\n"u8.ToArray());
        Assert.Equal("first", UnixClient.ReadLine(s));
        SendOversizedLine(s);
        Assert.Equal("con_lost", UnixClient.ReadLine(s));
        Assert.Null(UnixClient.ReadLine(s));
        bystander.Send("echo:unaffected\n"u8.ToArray());
        Assert.Equal("unaffected", UnixClient.ReadLine(bystander));
        Assert.Contains("without a newline", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Five_hundred_connected_clients_some_idle_are_all_served()
    {
        using var h = new ChildHarness();
        h.StartReady();
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 500; i++)
                clients.Add(Connect(h.Socket));
            for (var i = 0; i < clients.Count; i += 3)
                clients[i].Send(Encoding.ASCII.GetBytes($"echo:{i}\n"));
            for (var i = 0; i < clients.Count; i += 3)
                Assert.Equal(i.ToString(), UnixClient.ReadLine(clients[i]));
            Assert.Equal("new", UnixClient.Request(h.Socket, "echo:new"));
        }
        finally
        {
            foreach (var c in clients)
                c.Dispose();
        }
    }

    [Fact]
    public void Close_connection_exit_stops_the_child_and_removes_its_socket()
    {
        using var h = new ChildHarness();
        var child = h.StartReady();
        using var s = Connect(h.Socket);
        s.Send("close_connection_exit\n"u8.ToArray());
        Assert.True(child.WaitForExit(Wait), h.Detail());
        Assert.Equal(0, child.ExitCode);
        Assert.False(File.Exists(h.Socket));
        Assert.Contains("<font color=red>CRITICAL: Request Close Connection ... exiting</font>", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Usr1_appends_a_status_line()
    {
        using var h = new ChildHarness();
        var child = h.StartReady();
        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGUSR1));
        var statusFile = h.Sandbox.Builder.StatusFile;
        // Read under a shared flock that waits for the child's append (File.ReadAllText fails while it holds the lock).
        Eventually.Assert(() => StatusReport.Read(statusFile).Any(l => l.StartsWith($"{child.Pid}\th1\t", StringComparison.Ordinal)),
            Wait, "status line from the child", h.Detail);
        var line = StatusReport.Read(statusFile).Single(l => l.StartsWith($"{child.Pid}\t", StringComparison.Ordinal));
        var fields = line.Split('\t');
        Assert.Equal(4, fields.Length);
        Assert.Matches(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: ", fields[2]);
        Assert.Equal("ping", UnixClient.Request(h.Socket, "echo:ping"));
    }

    [Fact]
    public void Usr1_does_not_append_through_a_link_planted_at_the_status_file()
    {
        using var h = new ChildHarness();
        var child = h.StartReady();
        var statusFile = h.Sandbox.Builder.StatusFile;
        var victim = Path.Combine(h.Sandbox.Builder.Root, "victim");
        File.WriteAllText(victim, "untouched\n");
        File.Delete(statusFile);
        File.CreateSymbolicLink(statusFile, victim);

        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGUSR1));

        Eventually.Assert(() => h.Sandbox.ReadLog().Contains($"WARNING: Can't write status to {statusFile}: it is a symbolic link"),
            Wait, "the refusal in lonc.log", h.Detail);
        Assert.Equal("untouched\n", File.ReadAllText(victim));
        Assert.Equal("ping", UnixClient.Request(h.Socket, "echo:ping"));
    }

    [Fact]
    public void Term_closes_the_link_removes_the_socket_and_exits_zero()
    {
        using var h = new ChildHarness();
        var child = h.StartReady();
        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGTERM));
        Assert.True(child.WaitForExit(Wait), h.Detail());
        Assert.Equal(0, child.ExitCode);
        Assert.False(File.Exists(h.Socket));
    }

    [Fact]
    public void Refused_connection_logs_a_warning_sleeps_and_exits_nonzero()
    {
        using var h = new ChildHarness();
        h.Lond.Stop();
        Assert.Matches(@"<font color=blue>WARNING: Couldn't connect to h1 \(\d+ secs\): ", h.StartUntilExit());
        Assert.False(File.Exists(h.Socket));
    }

    [Fact]
    public void Bad_challenge_reply_is_logged_and_the_child_exits()
    {
        using var h = new ChildHarness(LondBehaviour.BadChallenge);
        var log = h.StartUntilExit();
        Assert.Contains("Init reply: >refused<", log);
        Assert.Matches(@"<font color=blue>WARNING: Init failed \(\d+ secs\)</font>", log);
    }

    /// <summary>
    /// Writes a line longer than the child's request limit (1 MiB) without a newline; the child stops reading and
    /// may close the connection on the way, which ends the writing (the expected outcome, not a failure).
    /// </summary>
    internal static void SendOversizedLine(Socket s)
    {
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'a');
        var sent = 0;
        try
        {
            while (sent < (1 << 20) + 2 * chunk.Length)
                sent += s.Send(chunk);
        }
        catch (SocketException)
        {
            // The child closed the connection over the limit: what the callers expect.
        }
    }

    internal static Socket Connect(string path)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(path));
        s.ReceiveTimeout = 15000;
        s.SendTimeout = 15000;
        return s;
    }
}
