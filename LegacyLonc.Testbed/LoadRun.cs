using System.Diagnostics;
using System.Text;

namespace LegacyLonc.Testbed;

/// <summary>What a <see cref="LoadRun"/> sends where, and for how long.</summary>
public sealed class LoadOptions
{
    public required string SocketPath { get; init; }
    public int Clients { get; init; } = 1;
    /// <summary>Stop after this many requests in total (split over the clients)…</summary>
    public long? Requests { get; init; }
    /// <summary>…or after this long; one of the two must be set.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>One connection per client for all its requests, instead of lonnet's connection per request.</summary>
    public bool Persistent { get; init; }
    /// <summary>Filler after the unique id in each <c>echo:</c> request.</summary>
    public int PayloadBytes { get; init; } = 26;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Told about the first few failures and mismatches of each client (called from client threads).</summary>
    public Action<string>? OnProblem { get; init; }
}

/// <summary>
/// Load through a lonc socket: each client thread sends <c>echo:&lt;client&gt;-&lt;seq&gt;-&lt;payload&gt;</c>
/// requests one after another and checks that every reply is the echo of its own request.
/// </summary>
public static class LoadRun
{
    public static LoadReport Run(LoadOptions options)
    {
        if (options.Clients < 1)
            throw new ArgumentException("load: clients must be >= 1");
        if (options.Requests is null == options.Duration is null)
            throw new ArgumentException("load: give exactly one of a request count and a duration");

        var payload = new string(Enumerable.Range(0, options.PayloadBytes).Select(i => (char)('a' + i % 26)).ToArray());
        long issued = 0;
        var workers = new Worker[options.Clients];
        var threads = new Thread[options.Clients];
        using var go = new ManualResetEventSlim();
        var clock = new Stopwatch();

        bool Next(out long seq)
        {
            seq = Interlocked.Increment(ref issued);
            if (options.Requests is { } total)
                return seq <= total;
            return clock.Elapsed < options.Duration!.Value;
        }

        for (var c = 0; c < options.Clients; c++)
        {
            var worker = workers[c] = new Worker(c, options, payload);
            threads[c] = new Thread(() =>
            {
                go.Wait();
                worker.Run(Next);
            }) { IsBackground = true, Name = $"load client {c}" };
            threads[c].Start();
        }
        clock.Start();
        go.Set();
        foreach (var t in threads)
            t.Join();
        clock.Stop();

        var latencies = workers.SelectMany(w => w.Latencies).ToList();
        latencies.Sort();
        var requests = workers.Sum(w => w.Ok + w.Failures + w.Mismatches);
        var seconds = clock.Elapsed.TotalSeconds;
        return new LoadReport(
            options.Clients, options.Persistent, requests,
            workers.Sum(w => w.Ok), workers.Sum(w => w.Failures), workers.Sum(w => w.Mismatches),
            seconds, seconds > 0 ? requests / seconds : 0,
            LoadReport.Percentile(latencies, 0.50), LoadReport.Percentile(latencies, 0.99));
    }

    internal delegate bool NextRequest(out long seq);

    private sealed class Worker
    {
        private readonly int _id;
        private readonly LoadOptions _options;
        private readonly string _payload;
        private LonnetClient? _connection;

        public Worker(int id, LoadOptions options, string payload)
        {
            _id = id;
            _options = options;
            _payload = payload;
        }

        public List<long> Latencies { get; } = new();
        public long Ok { get; private set; }
        public long Failures { get; private set; }
        public long Mismatches { get; private set; }
        private int _problems;

        public void Run(NextRequest next)
        {
            var text = new StringBuilder();
            try
            {
                while (next(out var seq))
                {
                    text.Clear().Append(_id).Append('-').Append(seq).Append('-').Append(_payload);
                    var expected = text.ToString();
                    var started = Stopwatch.GetTimestamp();
                    var reply = Send("echo:" + expected, out var failure);
                    var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    if (reply == null || reply == "con_lost")
                    {
                        Failures++;
                        Note(reply == null ? failure : "con_lost");
                        Drop();
                    }
                    else if (reply != expected)
                    {
                        Mismatches++;
                        Note($"sent echo:{expected}, got {reply}");
                    }
                    else
                    {
                        Ok++;
                        Latencies.Add(micros);
                    }
                }
            }
            finally
            {
                Drop();
            }
        }

        private string? Send(string line, out string failure)
        {
            if (!_options.Persistent)
                return LonnetClient.Subreply(_options.SocketPath, line, _options.Timeout, out failure);
            failure = "";
            _connection ??= LonnetClient.Connect(_options.SocketPath, _options.Timeout, out failure);
            return _connection?.Request(line, out failure);
        }

        // After a failure a persistent connection may be out of step with its replies: start afresh.
        private void Drop()
        {
            _connection?.Dispose();
            _connection = null;
        }

        private void Note(string problem)
        {
            if (_problems++ < 5)
                _options.OnProblem?.Invoke($"client {_id}: {problem}");
        }
    }
}
