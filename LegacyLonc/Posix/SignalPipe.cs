using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Self-pipe for signals. .NET runs signal handlers on a pool thread and never interrupts a
/// blocking waitpid/select, so the handler queues the signal number and writes one byte to a
/// socket pair whose read end sits in the main loop's wait set; the main loop then handles
/// the signal itself, in order, as Perl's %SIG handlers effectively did.
/// </summary>
public sealed class SignalPipe : IDisposable
{
    private readonly Socket _reader;
    private readonly Socket _writer;
    private readonly ConcurrentQueue<int> _pending = new();
    private readonly List<PosixSignalRegistration> _registrations = new();

    public SignalPipe()
    {
        var (a, b) = SocketPair.Create();
        _reader = a;
        _writer = b;
        _reader.Blocking = false;
        _writer.Blocking = false;
    }

    /// <summary>The socket to include in a select/poll set; readable while signals are pending.</summary>
    public Socket ReadEnd => _reader;

    /// <summary>Catches the given raw signal numbers (e.g. 10 for SIGUSR1) from now on.</summary>
    public void Catch(params int[] signals)
    {
        foreach (var signo in signals)
        {
            var registration = PosixSignalRegistration.Create((PosixSignal)signo, ctx =>
            {
                ctx.Cancel = true;
                Post(signo);
            });
            _registrations.Add(registration);
        }
    }

    /// <summary>Queues a signal as if it had been delivered (used by tests and by internal wake-ups).</summary>
    public void Post(int signo)
    {
        _pending.Enqueue(signo);
        try
        {
            if (_writer.Send(WakeByte, SocketFlags.None, out var err) == 1 && err == SocketError.Success)
                Interlocked.Increment(ref _unread);
        }
        catch (SocketException)
        {
            // A full pipe already guarantees a wake-up; nothing is lost because the queue holds the signal.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Takes the next pending signal, draining the wake-up bytes once the queue is empty.</summary>
    public bool TryTake(out int signo)
    {
        if (_pending.TryDequeue(out signo))
            return true;
        Drain();
        return _pending.TryDequeue(out signo);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a signal (-1: forever); false on timeout.</summary>
    public bool Wait(int timeoutMs)
    {
        if (!_pending.IsEmpty)
            return true;
        return _reader.Poll(timeoutMs < 0 ? -1 : timeoutMs * 1000, SelectMode.SelectRead) || !_pending.IsEmpty;
    }

    private void Drain()
    {
        // Called on every loop turn: no syscall unless a handler actually wrote a byte.
        if (Volatile.Read(ref _unread) == 0)
            return;
        Span<byte> sink = stackalloc byte[64];
        while (true)
        {
            var n = _reader.Receive(sink, SocketFlags.None, out var err);
            if (err != SocketError.Success || n <= 0)
                return;
            Interlocked.Add(ref _unread, -n);
        }
    }

    private int _unread;

    private static readonly byte[] WakeByte = { 1 };

    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
        _registrations.Clear();
        _reader.Dispose();
        _writer.Dispose();
    }
}
