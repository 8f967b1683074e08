using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using LegacyLonc.Tests.Support;
using LegacyLonc.Testbed;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// <c>loncPipelineDepth</c> against the real child and the lond emulator: batches of requests on the one link,
/// every reply to the client that sent its request, failures in the middle of a batch, depth 1 as 1.53.
/// </summary>
public class PipelineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static Dictionary<string, string> Depth(int depth, int requestTimeout = 5) => new()
    {
        ["loncPipelineDepth"] = depth.ToString(),
        ["loncRequestTimeout"] = requestTimeout.ToString(),
    };

    [Fact]
    public void Sixty_four_clients_with_distinct_payloads_each_get_their_own_replies_at_depth_8()
    {
        using var h = new ChildHarness(extra: Depth(8));
        h.StartReady();
        var failures = new ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 64).Select(c => new Thread(() =>
        {
            // Even clients keep one connection (and pipeline 3 requests at a time), odd ones connect per request
            // as lonnet does; every fourth request travels encrypted.
            Socket? persistent = c % 2 == 0 ? ChildRelayTests.Connect(h.Socket) : null;
            try
            {
                for (var r = 0; r < 30; r += persistent is null ? 1 : 3)
                {
                    var tokens = Enumerable.Range(r, persistent is null ? 1 : 3).Select(k => $"c{c}-r{k}-{Guid.NewGuid():N}").ToArray();
                    string Line(string t, int k) => (k % 4 == 0 ? "encrypt:echo:" : "echo:") + t;
                    if (persistent is null)
                    {
                        var reply = UnixClient.Request(h.Socket, Line(tokens[0], r));
                        if (reply != tokens[0])
                            failures.Add($"{tokens[0]} -> {reply ?? "<null>"}");
                        continue;
                    }
                    persistent.Send(Encoding.ASCII.GetBytes(string.Concat(tokens.Select((t, i) => Line(t, r + i) + "\n"))));
                    foreach (var t in tokens)
                    {
                        var reply = UnixClient.ReadLine(persistent);
                        if (reply != t)
                            failures.Add($"{t} -> {reply ?? "<null>"}");
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"client {c}: {e.Message}");
            }
            finally
            {
                persistent?.Dispose();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(120)), "a client did not finish"));

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)) + "\n" + h.Detail());
        var log = h.Lond.RequestLog;
        Assert.Contains(log, r => r.Pipelined);
        Assert.Contains(log, r => r.Encrypted);
        // Not one failure: the link was never reset.
        Assert.Equal(1, h.Lond.Connections);
    }

    [Fact]
    public void Depth_1_keeps_one_request_at_a_time_on_the_wire()
    {
        using var h = new ChildHarness();
        h.StartReady();
        var failures = new ConcurrentBag<string>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, c =>
        {
            // Clients that pipeline on their connection too: the child still sends lond one request at a time.
            using var s = ChildRelayTests.Connect(h.Socket);
            var tokens = Enumerable.Range(0, 10).Select(k => $"c{c}-{k}-{Guid.NewGuid():N}").ToArray();
            s.Send(Encoding.ASCII.GetBytes(string.Concat(tokens.Select((t, k) => (k % 3 == 0 ? "encrypt:echo:" : "echo:") + t + "\n"))));
            foreach (var t in tokens)
            {
                var reply = UnixClient.ReadLine(s);
                if (reply != t)
                    failures.Add($"{t} -> {reply ?? "<null>"}");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        var log = h.Lond.RequestLog;
        Assert.Equal(160, log.Count(r => r.Line.StartsWith("echo:c", StringComparison.Ordinal)));
        Assert.DoesNotContain(log, r => r.Pipelined);
    }

    [Fact]
    public void No_more_than_depth_requests_are_ever_in_flight()
    {
        // A slow lond, so the window fills: three clients pipelining 20 requests each at depth 4.
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(4), replyDelayMs: 10);
        h.StartReady();
        var failures = new ConcurrentBag<string>();
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, c =>
        {
            using var s = ChildRelayTests.Connect(h.Socket);
            s.ReceiveTimeout = 15000;
            s.Send(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20).Select(i => $"echo:c{c}-{i}\n"))));
            for (var i = 0; i < 20; i++)
            {
                var reply = UnixClient.ReadLine(s);
                if (reply != $"c{c}-{i}")
                    failures.Add($"c{c}-{i} -> {reply ?? "<null>"}");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        // What lond had received and not answered when it took each request: the child had at least that many in flight.
        var outstanding = h.Lond.RequestLog.Where(r => r.Line.StartsWith("echo:c", StringComparison.Ordinal)).Select(r => r.Outstanding).ToList();
        Assert.Equal(60, outstanding.Count);
        Assert.True(outstanding.Max() == 4, $"requests outstanding at lond: {string.Join(",", outstanding)}");
    }

    [Fact]
    public void A_request_written_while_others_are_in_flight_goes_out_at_once_and_gets_its_own_reply()
    {
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(8), replyDelayMs: 300);
        h.StartReady();
        var clients = Enumerable.Range(0, 4).Select(_ => ChildRelayTests.Connect(h.Socket)).ToList();
        try
        {
            var before = h.Lond.RequestCount;
            for (var i = 0; i < clients.Count; i++)
            {
                // Each once lond has taken the one before and sits on its reply: the window sends it at once.
                clients[i].Send(Encoding.ASCII.GetBytes($"echo:late{i}\n"));
                Assert.True(h.Lond.WaitForRequests(before + i + 1, Wait), h.Detail());
            }
            for (var i = 0; i < clients.Count; i++)
            {
                clients[i].ReceiveTimeout = 15000;
                Assert.Equal($"late{i}", UnixClient.ReadLine(clients[i]));
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
        // Every one after the first reached lond before the reply to the one before it had left (before, each
        // waited for the batch in flight to be answered).
        var log = h.Lond.RequestLog.Where(r => r.Line.StartsWith("echo:late", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "echo:late0", "echo:late1", "echo:late2", "echo:late3" }, log.Select(r => r.Line));
        Assert.Equal(new[] { false, true, true, true }, log.Select(r => r.Pipelined));
        Assert.Equal(1, h.Lond.Connections);
    }

    [Fact]
    public void A_lone_exchange_waiting_on_a_slow_lond_gives_way_to_a_client_that_comes_meanwhile()
    {
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(8), replyDelayMs: 300);
        h.StartReady();
        var before = h.Lond.RequestCount;
        // The only client: its exchange waits for the reply in the receive (2 ms at most), then in the select.
        using var first = ChildRelayTests.Connect(h.Socket);
        first.Send("echo:alone\n"u8.ToArray());
        Assert.True(h.Lond.WaitForRequests(before + 1, Wait), h.Detail());
        using var second = ChildRelayTests.Connect(h.Socket);
        second.Send("echo:meanwhile\n"u8.ToArray());
        Assert.True(h.Lond.WaitForRequests(before + 2, Wait), h.Detail());
        first.ReceiveTimeout = second.ReceiveTimeout = 15000;
        Assert.Equal("alone", UnixClient.ReadLine(first));
        Assert.Equal("meanwhile", UnixClient.ReadLine(second));
        // The second reached lond while the first's reply was still being held back: the child was not stuck in it.
        var log = h.Lond.RequestLog.Where(r => r.Line.StartsWith("echo:", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "echo:alone", "echo:meanwhile" }, log.Select(r => r.Line));
        Assert.Equal(new[] { false, true }, log.Select(r => r.Pipelined));
    }

    [Fact]
    public void A_request_written_late_in_the_window_times_out_on_its_own_deadline()
    {
        using var h = new ChildHarness(LondBehaviour.HangAtMarker, Depth(8, requestTimeout: 2), replyDelayMs: 1000);
        h.StartReady();
        using var first = ChildRelayTests.Connect(h.Socket);
        using var late = ChildRelayTests.Connect(h.Socket);
        var before = h.Lond.RequestCount;
        first.Send("echo:first\n"u8.ToArray());
        Assert.True(h.Lond.WaitForRequests(before + 1, Wait), h.Detail());
        // Not a wait for an event: the gap between the two requests' deadlines that the assertion below measures.
        Thread.Sleep(500);
        var sent = System.Diagnostics.Stopwatch.StartNew();
        late.Send("echo:fault!\n"u8.ToArray());
        first.ReceiveTimeout = late.ReceiveTimeout = 15000;
        Assert.Equal("first", UnixClient.ReadLine(first));
        Assert.Equal("con_lost", UnixClient.ReadLine(late));
        // lond never answers it: con_lost comes loncRequestTimeout after its own write, not after the first one's.
        Assert.True(sent.Elapsed >= TimeSpan.FromSeconds(1.95), $"con_lost after {sent.Elapsed.TotalSeconds:0.00} s\n{h.Detail()}");
        Assert.Contains(h.Lond.RequestLog, r => r.Line == "echo:fault!" && r.Pipelined);
        var log = h.Sandbox.ReadLog();
        Assert.Contains("CRITICAL: Timeout: echo:fault! (h1, link busy)", log);
        Assert.Contains("lond link h1: busy -> closed: no reply within 2 s", log);
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:back") == "back", Wait, "service after the timeout", h.Detail);
    }

    [Fact]
    public void Reset_retries_behind_requests_in_flight_waits_for_their_replies_and_holds_up_only_its_client()
    {
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(8), replyDelayMs: 500);
        h.StartReady();
        using var x = ChildRelayTests.Connect(h.Socket);
        using var y = ChildRelayTests.Connect(h.Socket);
        x.ReceiveTimeout = y.ReceiveTimeout = 15000;
        var before = h.Lond.RequestCount;
        x.Send("echo:x1\nreset_retries\necho:x2\n"u8.ToArray());
        Assert.True(h.Lond.WaitForRequests(before + 1, Wait), h.Detail());
        y.Send("echo:y\n"u8.ToArray());
        Assert.Equal(new[] { "x1", "ok", "x2" }, new[] { UnixClient.ReadLine(x), UnixClient.ReadLine(x), UnixClient.ReadLine(x) });
        Assert.Equal("y", UnixClient.ReadLine(y));
        // x2 waited behind the reset_retries, which waited for x1's reply; y, another client's, did not.
        var order = h.Lond.RequestLog.Select(r => r.Line).Where(l => l is "echo:x1" or "echo:y" or "echo:x2").ToList();
        Assert.Equal(new[] { "echo:x1", "echo:y", "echo:x2" }, order);
        Assert.DoesNotContain("reset_retries", h.Lond.Requests);
        Assert.Contains("INFO: Resetting Connection Retries.", h.Sandbox.ReadLog());
    }

    [Fact]
    public void An_oversized_line_behind_a_request_in_flight_gets_con_lost_after_its_reply()
    {
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(8), replyDelayMs: 300);
        h.StartReady();
        using var s = ChildRelayTests.Connect(h.Socket);
        s.ReceiveTimeout = 15000;
        s.Send("echo:before\n"u8.ToArray());
        ChildRelayTests.SendOversizedLine(s);
        Assert.Equal("before", UnixClient.ReadLine(s));
        Assert.Equal("con_lost", UnixClient.ReadLine(s));
        Assert.Null(UnixClient.ReadLine(s));
        Assert.Equal("after", UnixClient.Request(h.Socket, "echo:after"));
        Assert.Contains("without a newline", h.Sandbox.ReadLog());
    }

    [Fact]
    public void Lond_dropping_the_link_mid_batch_answers_each_request_its_own_reply_or_con_lost()
    {
        using var h = new ChildHarness(LondBehaviour.DropAtMarker, Depth(8), replyDelayMs: 200);
        h.StartReady();
        var replies = BatchBehindABlocker(h, "echo:a", "echo:b", "echo:fault!", "echo:d", "encrypt:echo:e", "echo:f");
        AssertOwnReplyOrConLost(h, replies);
        Assert.Equal("con_lost", replies["echo:fault!"]);
        // They went as one batch, in the order the child read them: lond got some after others without waiting,
        // or (the fault first) never read the rest, which the child then answered con_lost in one line.
        var log = h.Sandbox.ReadLog();
        Assert.True(h.Lond.RequestLog.Any(r => replies.ContainsKey(r.Line) && r.Pipelined) ||
            log.Contains("more request(s) in flight to h1 had no reply yet"), h.Detail());
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:back") == "back", Wait, "service after the drop", h.Detail);
        Assert.Contains("CRITICAL lond connection lost (h1, link busy)", log);
        Assert.False(h.Child!.HasExited);
    }

    [Fact]
    public void A_timeout_mid_batch_answers_each_request_its_own_reply_or_con_lost()
    {
        using var h = new ChildHarness(LondBehaviour.HangAtMarker, Depth(8, requestTimeout: 2), replyDelayMs: 200);
        h.StartReady();
        var replies = BatchBehindABlocker(h, "echo:a", "encrypt:echo:b", "echo:fault!", "echo:d", "echo:e");
        AssertOwnReplyOrConLost(h, replies);
        Assert.Equal("con_lost", replies["echo:fault!"]);
        // They went as one batch: lond (which reads on after the fault) got all but the first without waiting.
        Assert.Contains(h.Lond.RequestLog, r => replies.ContainsKey(r.Line) && r.Pipelined);
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:back") == "back", Wait, "service after the timeout", h.Detail);
        var log = h.Sandbox.ReadLog();
        Assert.Contains("CRITICAL: Timeout: ", log);
        Assert.Contains("lond link h1: busy -> closed: no reply within 2 s", log);
    }

    [Theory]
    [InlineData(LondBehaviour.GarbageEnc, "CRITICAL: Garbage encrypted reply from h1")]
    [InlineData(LondBehaviour.GarbageNoNewline, "CRITICAL: Reply from h1 longer than 16777216 bytes without a newline: echo:x (h1, link busy)")]
    public void A_reply_that_is_no_reply_fails_every_request_in_flight_and_resets_the_link(LondBehaviour behaviour, string logged)
    {
        // GarbageNoNewline answers with one byte past the 16 MiB reply limit, without a newline.
        using var h = new ChildHarness(extra: Depth(8), garbageBytes: (16 << 20) + 1);
        h.StartReady();
        h.Lond.Behaviour = behaviour;
        using (var s = ChildRelayTests.Connect(h.Socket))
        {
            s.ReceiveTimeout = 15000;
            // One write, so both are in flight together.
            s.Send("echo:x\necho:y\n"u8.ToArray());
            Assert.Equal(new[] { "con_lost", "con_lost" }, new[] { UnixClient.ReadLine(s), UnixClient.ReadLine(s) });
        }
        h.Lond.Behaviour = LondBehaviour.Normal;
        Eventually.Assert(() => UnixClient.Request(h.Socket, "echo:ok") == "ok", Wait, "service after the bad reply", h.Detail);
        var log = h.Sandbox.ReadLog();
        Assert.Contains(logged, log);
        Assert.Contains("CRITICAL: 1 more request(s) in flight to h1 had no reply yet: answered con_lost", log);
        Assert.True(h.Lond.Handshakes >= 2, h.Detail());
    }

    [Fact]
    public void Encrypted_requests_and_replies_inside_a_batch()
    {
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(8), replyDelayMs: 150);
        h.StartReady();
        var lines = new[] { "encrypt:echo:s1", "echo:p1", "encrypt:echo:s2 with spaces", "echo:p2", "encrypt:echo:" + new string('z', 300) };
        var replies = BatchBehindABlocker(h, lines);
        foreach (var line in lines)
            Assert.Equal(Expected(line), replies[line]);
        var log = h.Lond.RequestLog;
        Assert.Equal(3, log.Count(r => r.Encrypted && lines.Contains("encrypt:" + r.Line)));
        Assert.Contains(log, r => r.Pipelined);
        Assert.DoesNotContain(h.Lond.Dialogue, l => l.Contains("encrypt:", StringComparison.Ordinal));

        // lond answering enc: too: every reply of a batch decrypted for its own client.
        h.Lond.Behaviour = LondBehaviour.EncReplies;
        var more = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? "encrypt:echo:x" : "echo:y") + i).ToArray();
        using var s = ChildRelayTests.Connect(h.Socket);
        s.Send(Encoding.ASCII.GetBytes(string.Concat(more.Select(l => l + "\n"))));
        foreach (var line in more)
            Assert.Equal(Expected(line), UnixClient.ReadLine(s));
    }

    [Fact]
    public void A_client_hanging_up_mid_batch_has_its_replies_dropped_and_nobody_elses_shift()
    {
        using var h = new ChildHarness(LondBehaviour.Slow, Depth(8), replyDelayMs: 150);
        h.StartReady();
        var connections = h.Lond.Connections;
        using var blocker = ChildRelayTests.Connect(h.Socket);
        using var rude = ChildRelayTests.Connect(h.Socket);
        using var b = ChildRelayTests.Connect(h.Socket);
        using var c = ChildRelayTests.Connect(h.Socket);
        var before = h.Lond.RequestCount;
        blocker.Send("echo:blocker\n"u8.ToArray());
        Assert.True(h.Lond.WaitForRequests(before + 1, Wait), h.Detail());
        rude.Send("echo:rude1\necho:rude2\n"u8.ToArray());
        b.Send("echo:b\n"u8.ToArray());
        c.Send("echo:c\n"u8.ToArray());
        // The rude client goes once lond has its requests, before their replies (150 ms apart) come back.
        Assert.True(h.Lond.WaitForRequests(before + 3, Wait), h.Detail());
        rude.Close();
        Assert.Equal("blocker", UnixClient.ReadLine(blocker));
        Assert.Equal("b", UnixClient.ReadLine(b));
        Assert.Equal("c", UnixClient.ReadLine(c));
        Assert.Equal("after", UnixClient.Request(h.Socket, "echo:after"));
        Assert.Contains(h.Lond.RequestLog, r => r.Pipelined);
        Assert.Equal(connections, h.Lond.Connections);
        Assert.False(h.Child!.HasExited);
    }

    [Fact]
    public void Delayed_replay_stays_one_file_at_a_time_at_depth_8()
    {
        using var h = new ChildHarness(LondBehaviour.DropAtMarker, Depth(8));
        var dir = h.Sandbox.Builder.DelayedDir;
        for (var i = 0; i < 3; i++)
            File.WriteAllText(Path.Combine(dir, $"110000000{i}.0.1.echo.h1"), $"echo:start{i}\n");
        h.StartReady();
        // A batch lond drops halfway: the link is re-opened, and what was spooled meanwhile is replayed.
        for (var i = 0; i < 3; i++)
            File.WriteAllText(Path.Combine(dir, $"120000000{i}.0.1.echo.h1"), $"echo:later{i}\n");
        using var s = ChildRelayTests.Connect(h.Socket);
        s.Send("echo:x\necho:fault!\necho:y\n"u8.ToArray());
        Assert.Equal(new[] { "x", "con_lost", "con_lost" }, new[] { UnixClient.ReadLine(s), UnixClient.ReadLine(s), UnixClient.ReadLine(s) });
        Eventually.Assert(() => Directory.GetFiles(dir).Length == 0, Wait, "every delayed file delivered", h.Detail);
        var log = h.Sandbox.ReadLog();
        Assert.Contains("CRITICAL lond connection lost (h1, link busy)", log);
        Assert.Contains("CRITICAL: 1 more request(s) in flight to h1 had no reply yet: answered con_lost", log);

        var replayed = h.Lond.RequestLog.Where(r => r.Line.StartsWith("echo:start", StringComparison.Ordinal) || r.Line.StartsWith("echo:later", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, replayed.Count);
        Assert.DoesNotContain(replayed, r => r.Pipelined);
        Assert.Contains(h.Lond.RequestLog, r => r.Line == "echo:fault!" && r.Pipelined);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Reset_retries_keeps_its_place_among_a_clients_requests(int depth)
    {
        using var h = new ChildHarness(extra: Depth(depth));
        h.StartReady();
        using var s = ChildRelayTests.Connect(h.Socket);
        s.Send("echo:first\nreset_retries\necho:second\nreset_retries\n"u8.ToArray());
        Assert.Equal(new[] { "first", "ok", "second", "ok" },
            new[] { UnixClient.ReadLine(s), UnixClient.ReadLine(s), UnixClient.ReadLine(s), UnixClient.ReadLine(s) });
        Assert.DoesNotContain("reset_retries", h.Lond.Requests);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Lond_closing_after_exit_leaves_the_link_closed_until_the_next_request(int depth)
    {
        using var h = new ChildHarness(extra: Depth(depth));
        h.StartReady();
        var connections = h.Lond.Connections;
        Assert.Equal("bye", UnixClient.Request(h.Socket, "exit"));
        Eventually.Assert(() => h.Lond.OpenConnections == 0, Wait, "lond's close after exit", h.Detail);
        // Not re-opened on its own: lonc's parent sends exit when it stops, and a handshake then helped nobody.
        Thread.Sleep(500);
        Assert.Equal(connections, h.Lond.Connections);
        Assert.Equal("again", UnixClient.Request(h.Socket, "echo:again"));
        Assert.Equal(connections + 1, h.Lond.Connections);
        Assert.DoesNotContain("WARNING", h.Sandbox.ReadLog());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Reset_retries_is_answered_while_lond_is_down(int depth)
    {
        using var h = new ChildHarness(extra: Depth(depth));
        var child = h.StartReady();
        h.Lond.Stop();
        Eventually.Assert(() => h.Sandbox.ReadLog().Contains("WARNING: lond h1 is not back yet"), Wait, "the failed reconnect", h.Detail);
        // Answered by the child, without the link: before, the child tried to re-open it, failed and gave up.
        Assert.Equal("ok", UnixClient.Request(h.Socket, "reset_retries"));
        Assert.Equal("ok", UnixClient.Request(h.Socket, "reset_retries"));
        Assert.False(child.HasExited, h.Detail());
        h.Lond.Start();
        Assert.Equal("back", UnixClient.Request(h.Socket, "echo:back"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Close_connection_exit_comes_after_the_replies_before_it(int depth)
    {
        using var h = new ChildHarness(extra: Depth(depth));
        var child = h.StartReady();
        using var s = ChildRelayTests.Connect(h.Socket);
        s.Send("echo:last words\nclose_connection_exit\n"u8.ToArray());
        Assert.Equal("last words", UnixClient.ReadLine(s));
        Assert.True(child.WaitForExit(Wait), h.Detail());
        Assert.Equal(0, child.ExitCode);
        Assert.Contains("CRITICAL: Request Close Connection ... exiting", h.Sandbox.ReadLog());
    }

    /// <summary>
    /// Sends <paramref name="lines"/> from one client each while the child waits on a slow reply to another
    /// client's request, so that they reach lond as one batch; returns each line's reply (null: none).
    /// </summary>
    private static Dictionary<string, string?> BatchBehindABlocker(ChildHarness h, params string[] lines)
    {
        using var blocker = ChildRelayTests.Connect(h.Socket);
        var clients = lines.Select(_ => ChildRelayTests.Connect(h.Socket)).ToList();
        try
        {
            var before = h.Lond.RequestCount;
            blocker.Send("echo:blocker\n"u8.ToArray());
            Assert.True(h.Lond.WaitForRequests(before + 1, Wait), h.Detail());
            for (var i = 0; i < lines.Length; i++)
                clients[i].Send(Encoding.ASCII.GetBytes(lines[i] + "\n"));
            Assert.Equal("blocker", UnixClient.ReadLine(blocker));
            var replies = new Dictionary<string, string?>();
            for (var i = 0; i < lines.Length; i++)
            {
                clients[i].ReceiveTimeout = 15000;
                replies[lines[i]] = UnixClient.ReadLine(clients[i]);
            }
            return replies;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// What lond did decides each reply: a request lond read before the fault on its connection gets its own
    /// reply; the fault request, those after it and those lond never read get con_lost. Nobody gets another's.
    /// </summary>
    private static void AssertOwnReplyOrConLost(ChildHarness h, Dictionary<string, string?> replies)
    {
        var log = h.Lond.RequestLog;
        foreach (var (line, reply) in replies)
        {
            var plain = line.StartsWith("encrypt:", StringComparison.Ordinal) ? line["encrypt:".Length..] : line;
            var at = log.ToList().FindIndex(r => r.Line == plain);
            var fault = at < 0 ? -1 : log.ToList().FindIndex(r => r.Connection == log[at].Connection && r.Line.Contains("fault!"));
            var answered = at >= 0 && (fault < 0 || at < fault);
            Assert.True(reply == (answered ? Expected(line) : "con_lost"),
                $"{line}: got {reply ?? "<null>"}, expected {(answered ? Expected(line) : "con_lost")}\n{h.Detail()}");
        }
    }

    private static string Expected(string line) => line[(line.IndexOf("echo:", StringComparison.Ordinal) + "echo:".Length)..];
}
