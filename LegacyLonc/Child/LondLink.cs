using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LegacyLonc.Child;

/// <summary>
/// The child's one blocking TCP connection to the remote lond, and <c>londtransaction</c>: write a line,
/// read one line back within a deadline. 1.53 bounded each half with alarm(); a signal cannot interrupt a
/// blocking .NET Receive, so the deadline is enforced with Socket.Select on the link (and on the signal
/// pipe, so INT/TERM still end a long wait). After anything but a reply the link is in an unknown state and
/// <see cref="IsBroken"/> is set: the caller must reconnect, never reuse it.
/// </summary>
public sealed class LondLink : IDisposable
{
    private readonly Socket _socket;
    private readonly Socket? _interrupt;
    private readonly Func<bool>? _stopRequested;
    private readonly LineBuffer _in = new(Limits.MaxReplyLine, 16 * 1024);
    private readonly List<Socket> _readSet = new(2);
    private byte[] _scratch = new byte[256];
    private bool _disposed;

    private LondLink(Socket socket, Socket? interrupt, Func<bool>? stopRequested)
    {
        _socket = socket;
        _interrupt = interrupt;
        _stopRequested = stopRequested;
    }

    /// <summary>True after a timeout, EOF, error or oversized reply: the link must not be used again.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>
    /// Connects to lond at <paramref name="endpoint"/> within <paramref name="timeout"/>. Returns null and a
    /// reason on failure. <paramref name="interrupt"/> (the signal pipe) and <paramref name="stopRequested"/>
    /// let a waiting transaction notice INT/TERM.
    /// </summary>
    public static LondLink? Connect(IPEndPoint endpoint, TimeSpan timeout, Socket? interrupt, Func<bool>? stopRequested, out string error)
    {
        var s = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            s.ConnectAsync(endpoint, cts.Token).AsTask().GetAwaiter().GetResult();
            s.Blocking = true;
            error = "";
            return new LondLink(s, interrupt, stopRequested);
        }
        catch (OperationCanceledException)
        {
            error = $"connect to {endpoint} timed out after {timeout.TotalSeconds:0} s";
        }
        catch (SocketException e)
        {
            error = $"connect to {endpoint}: {e.Message}";
        }
        s.Dispose();
        return null;
    }

    /// <summary>Sends <paramref name="request"/> plus "\n" and waits for one reply line.</summary>
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

    /// <summary>Waits for one line without sending anything (used after a raw write).</summary>
    public LinkOutcome ReadLine(TimeSpan timeout, out ReadOnlyMemory<byte> reply) =>
        ReadLine(Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency), out reply);

    private LinkOutcome ReadLine(long deadline, out ReadOnlyMemory<byte> reply)
    {
        while (true)
        {
            if (_in.TryTakeLine(out reply))
                return LinkOutcome.Reply;
            if (_in.Overflowed || _in.HeadLineTooLong)
                return Fail(LinkOutcome.Oversized);
            var wait = WaitReadable(deadline);
            if (wait != LinkOutcome.Reply)
                return Fail(wait);
            int n;
            try
            {
                n = _socket.Receive(_in.GetWriteSpan(64 * 1024), SocketFlags.None);
            }
            catch (SocketException)
            {
                return Fail(LinkOutcome.Closed);
            }
            if (n == 0)
                return Fail(LinkOutcome.Closed);
            _in.Commit(n);
        }
    }

    private LinkOutcome WaitReadable(long deadline)
    {
        while (true)
        {
            if (_stopRequested?.Invoke() == true)
                return LinkOutcome.Interrupted;
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
                return LinkOutcome.Timeout;
            var micro = (int)Math.Min(remaining * 1_000_000 / Stopwatch.Frequency, int.MaxValue);
            _readSet.Clear();
            _readSet.Add(_socket);
            if (_interrupt is not null)
                _readSet.Add(_interrupt);
            Socket.Select(_readSet, null, null, Math.Max(micro, 1));
            if (_readSet.Contains(_socket))
                return LinkOutcome.Reply;
            // Only the signal pipe woke us; the stop check at the top of the loop drains it.
        }
    }

    private LinkOutcome SendAll(ReadOnlySpan<byte> data, long deadline, bool appendNewline)
    {
        var remaining = deadline - Stopwatch.GetTimestamp();
        if (remaining <= 0)
            return LinkOutcome.Timeout;
        _socket.SendTimeout = (int)Math.Clamp(remaining * 1000 / Stopwatch.Frequency, 1, int.MaxValue);
        try
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
                var n = _socket.Send(data, SocketFlags.None);
                data = data[n..];
            }
            return LinkOutcome.Reply;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
        {
            return LinkOutcome.Timeout;
        }
        catch (SocketException)
        {
            return LinkOutcome.Closed;
        }
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
