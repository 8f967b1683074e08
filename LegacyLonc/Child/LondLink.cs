using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LegacyLonc.Child;

/// <summary>
/// The child's one blocking TCP connection to the remote lond, and <c>londtransaction</c>: write a line,
/// read one line back within a deadline. 1.53 bounded each half with alarm(); a signal cannot interrupt a
/// blocking .NET Receive, so the socket carries a short receive timeout (<see cref="WaitSlice"/>) and the
/// read loop checks the deadline and the stop flag between slices. After anything but a reply the link is
/// in an unknown state and <see cref="IsBroken"/> is set: the caller must reconnect, never reuse it.
/// </summary>
/// <remarks>
/// Everything here is synchronous on purpose: one async call (ConnectAsync) registers the socket with .NET's
/// epoll thread for good, and every reply then also wakes that thread and the thread pool (measured: ~30
/// sched_yield calls per relayed request).
/// </remarks>
public sealed class LondLink : IDisposable
{
    /// <summary>How long one blocking receive waits before the loop looks at the deadline and the stop flag again.</summary>
    public static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly Func<bool>? _stopRequested;
    private readonly LineBuffer _in = new(Limits.MaxReplyLine, 16 * 1024);
    private byte[] _scratch = new byte[256];
    private bool _disposed;

    private LondLink(Socket socket, Func<bool>? stopRequested)
    {
        _socket = socket;
        _stopRequested = stopRequested;
        _socket.ReceiveTimeout = (int)WaitSlice.TotalMilliseconds;
        _socket.SendTimeout = (int)WaitSlice.TotalMilliseconds;
    }

    /// <summary>True after a timeout, EOF, error or oversized reply: the link must not be used again.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>
    /// Connects to lond at <paramref name="endpoint"/> within <paramref name="timeout"/> (1.53 had no limit but
    /// the kernel's). Returns null and a reason on failure. <paramref name="stopRequested"/> lets a waiting
    /// transaction notice INT/TERM.
    /// </summary>
    public static LondLink? Connect(IPEndPoint endpoint, TimeSpan timeout, Func<bool>? stopRequested, out string error)
    {
        var s = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        // A plain blocking connect, bounded by a timer that closes the socket (which makes connect fail).
        // A non-blocking connect would leave the socket non-blocking at the OS level for good, and .NET then
        // emulates every blocking receive through its epoll thread and a futex wake-up.
        var timedOut = 0;
        using (new Timer(_ =>
               {
                   Interlocked.Exchange(ref timedOut, 1);
                   s.Dispose();
               }, null, timeout, Timeout.InfiniteTimeSpan))
        {
            try
            {
                s.Connect(endpoint);
                if (Volatile.Read(ref timedOut) == 0)
                {
                    error = "";
                    return new LondLink(s, stopRequested);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                error = Volatile.Read(ref timedOut) == 1
                    ? $"connect to {endpoint} timed out after {timeout.TotalSeconds:0} s"
                    : $"connect to {endpoint}: {e.Message}";
                s.Dispose();
                return null;
            }
        }
        error = $"connect to {endpoint} timed out after {timeout.TotalSeconds:0} s";
        s.Dispose();
        return null;
    }

    /// <summary>Sends <paramref name="request"/> (plus "\n" unless it ends in one) and waits for one reply line.</summary>
    public LinkOutcome Transaction(ReadOnlySpan<byte> request, TimeSpan timeout, out ReadOnlyMemory<byte> reply)
    {
        reply = default;
        if (IsBroken)
            return LinkOutcome.Closed;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var sent = SendAll(request, deadline, appendNewline: !EndsWithNewline(request));
        if (sent != LinkOutcome.Reply)
            return Fail(sent);
        return ReadLine(deadline, out reply);
    }

    private LinkOutcome ReadLine(long deadline, out ReadOnlyMemory<byte> reply)
    {
        while (true)
        {
            if (_in.TryTakeLine(out reply))
                return LinkOutcome.Reply;
            if (_in.Overflowed || _in.HeadLineTooLong)
                return Fail(LinkOutcome.Oversized);
            var n = _socket.Receive(_in.GetWriteSpan(64 * 1024), SocketFlags.None, out var err);
            if (err is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                if (_stopRequested?.Invoke() == true)
                    return Fail(LinkOutcome.Interrupted);
                if (Stopwatch.GetTimestamp() > deadline)
                    return Fail(LinkOutcome.Timeout);
                continue;
            }
            if (err != SocketError.Success || n == 0)
                return Fail(LinkOutcome.Closed);
            _in.Commit(n);
        }
    }

    private LinkOutcome SendAll(ReadOnlySpan<byte> data, long deadline, bool appendNewline)
    {
        if (appendNewline)
        {
            // One write for line and terminator, as Perl's print "$request\n" did.
            if (_scratch.Length < data.Length + 1)
                _scratch = new byte[Math.Max(data.Length + 1, _scratch.Length * 2)];
            data.CopyTo(_scratch);
            _scratch[data.Length] = (byte)'\n';
            data = _scratch.AsSpan(0, data.Length + 1);
        }
        while (data.Length > 0)
        {
            var n = _socket.Send(data, SocketFlags.None, out var err);
            if (err is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                // lond is not reading (its buffer is full): 1.53's "suiciding on send Timeout" case.
                data = data[Math.Max(n, 0)..];
                if (_stopRequested?.Invoke() == true)
                    return LinkOutcome.Interrupted;
                if (Stopwatch.GetTimestamp() > deadline)
                    return LinkOutcome.Timeout;
                continue;
            }
            if (err != SocketError.Success)
                return LinkOutcome.Closed;
            data = data[n..];
        }
        return LinkOutcome.Reply;
    }

    private static bool EndsWithNewline(ReadOnlySpan<byte> s) => s.Length > 0 && s[^1] == (byte)'\n';

    private LinkOutcome Fail(LinkOutcome outcome)
    {
        IsBroken = true;
        return outcome;
    }

    /// <summary>Marks the link unusable and closes it (after a reply that cannot be trusted).</summary>
    public void Abandon()
    {
        IsBroken = true;
        Dispose();
    }

    /// <summary>shutdown(2) and close, as 1.53 did with <c>$remotesock-&gt;shutdown(2)</c>.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        IsBroken = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
    }
}
