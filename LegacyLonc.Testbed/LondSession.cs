using System.Net.Sockets;
using System.Text;
using LegacyLonc.Crypto;

namespace LegacyLonc.Testbed;

/// <summary>One accepted connection of a <see cref="LondEmulator"/>: lond's side of the init dialogue and its command loop.</summary>
internal sealed class LondSession
{
    // Rotated under GarbageEnc: bad hex, a length beyond the data, no hex at all, a cut block.
    private static readonly string[] GarbageEncLines =
    {
        "enc:8:zzzzzzzzzzzzzzzz",
        "enc:64:3fed24994b125af0",
        "enc:12",
        "enc:3:3fed2499",
    };

    /// <summary>The markup <see cref="LondBehaviour.MarkupInit"/> and <see cref="LondBehaviour.LongExitReply"/> send.</summary>
    private const string MarkupLine = "refused<script>alert('owned')</script>&amp;<b>";

    private readonly LondEmulator _lond;
    private readonly LondEmulatorOptions _options;
    private readonly Socket _socket;
    private readonly string _hostId;
    private readonly int _connection;
    private readonly SocketLineReader _reader;
    private byte[] _out = new byte[4096];
    private int _outLength;
    private LinkCipher? _cipher;
    private bool _keyed;
    private int _answered;
    private int _garbageIndex;
    private int _receiveTimeout;
    private bool _nextArrivedEarly;
    private bool _hung;
    private int _unsentReplies;

    public LondSession(LondEmulator lond, Socket socket, string hostId, int connection)
    {
        _lond = lond;
        _options = lond.Options;
        _socket = socket;
        _hostId = hostId;
        _connection = connection;
        _reader = new SocketLineReader(socket);
    }

    public void Run()
    {
        try
        {
            if (!_options.Handshake)
                _keyed = true;
            else if (!InitDialogue())
                return;
            while (NextRequest(out var line))
            {
                if (!OnLine(line))
                    break;
                // Pipelined requests are answered in one send; a lone request is answered at once.
                if (!_reader.HasBufferedLine)
                    Flush();
            }
            Flush();
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _socket.Dispose();
            _lond.Closed(_socket, _hostId, _connection);
        }
    }

    /// <summary>init → challenge → echoed challenge → ok (spec §8 steps 1–2); false when the link is to close.</summary>
    private bool InitDialogue()
    {
        if (_lond.Behaviour == LondBehaviour.HangInit)
        {
            while (NextLine(out _))
            {
            }
            return false;
        }
        if (!NextLine(out var first))
            return false;
        // lond strips every \W before comparing, so "init\r" or " init" pass.
        if (WordCharacters(first) != "init")
            return Refuse();

        var challenge = $"{Environment.ProcessId}{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        Send(challenge);
        if (!NextLine(out var echoed))
            return false;
        if (_lond.Behaviour == LondBehaviour.BadChallenge || WordCharacters(echoed) != challenge)
            return Refuse();
        if (_lond.Behaviour == LondBehaviour.ControlInit)
        {
            // What a broken or hostile peer might send: a terminal escape, NUL, BEL and DEL.
            Send("refused\u001b[2J\u001b]0;owned\u0007\0\u007f-end");
            return false;
        }
        if (_lond.Behaviour == LondBehaviour.MarkupInit)
        {
            // What a hostile peer might put into loncron's HTML view of lonc.log.
            Send(MarkupLine);
            return false;
        }
        Send("ok");
        return true;
    }

    private bool Refuse()
    {
        Send("refused");
        return false;
    }

    /// <summary>The longest a <see cref="LondBehaviour.Stall"/> holds a reply back.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromMinutes(1);

    /// <summary>Handles one line after init; false when the link is to close.</summary>
    private bool OnLine(string line)
    {
        // Before ekey the link-setup commands are lonc's handshake, not requests.
        if (!_keyed && IsSetupCommand(line))
        {
            Write(Answer(line));
            return true;
        }

        var command = line;
        var encrypted = false;
        string? encError = null;
        if (line.StartsWith("enc:", StringComparison.Ordinal))
        {
            if (_cipher == null)
                encError = "no ekey yet";
            else if (_cipher.TryDecryptReply(Encoding.Latin1.GetBytes(line), out var plain, out var error))
            {
                command = Encoding.Latin1.GetString(plain);
                encrypted = true;
            }
            else
                encError = error;
        }
        // Pipelined: a reply to an earlier request is still unsent (buffered), or this request was already
        // there when the last replies were sent.
        var pipelined = _outLength > 0 || _nextArrivedEarly;
        _nextArrivedEarly = false;
        var outstanding = _options.Record ? _unsentReplies + 1 + _reader.BufferedLines + LinesInSocket() : 0;
        _lond.RecordRequest(new LondRequest(_hostId, _connection, command, encrypted, pipelined, outstanding));
        if (encError != null)
            _options.Trace?.Invoke($"{_hostId} bad enc line: {encError}");

        if (_hung)
            return true;
        switch (_lond.Behaviour)
        {
            case LondBehaviour.Hang:
                return true;
            case LondBehaviour.Stall:
                Flush();
                var until = DateTime.UtcNow + StallLimit;
                while (_lond.Behaviour == LondBehaviour.Stall && DateTime.UtcNow < until)
                    Thread.Sleep(10);
                break;
            case LondBehaviour.DropAtMarker when command.Contains(_options.FaultMarker, StringComparison.Ordinal):
                // The replies before it, then FIN: they are read before the end of the stream is.
                Flush();
                _socket.Shutdown(SocketShutdown.Send);
                return false;
            case LondBehaviour.HangAtMarker when command.Contains(_options.FaultMarker, StringComparison.Ordinal):
                Flush();
                _hung = true;
                return true;
            case LondBehaviour.DropAfterN when _answered >= _options.DropAfter:
                return false;
            case LondBehaviour.Slow:
            case LondBehaviour.DropAtMarker or LondBehaviour.HangAtMarker when _options.ReplyDelayMs > 0:
                Flush();
                Thread.Sleep(_options.ReplyDelayMs);
                break;
            case LondBehaviour.GarbageNoNewline:
                Flush();
                SendRaw(Enumerable.Repeat((byte)'x', _options.GarbageBytes).ToArray());
                return true;
            case LondBehaviour.GarbageEnc:
                Write(GarbageEncLines[_garbageIndex++ % GarbageEncLines.Length]);
                _answered++;
                return true;
        }

        var reply = encError != null ? "error:bad_enc" : Answer(command);
        switch (_lond.Behaviour)
        {
            case LondBehaviour.EncReplies when _cipher != null:
                reply = _cipher.EncryptRequest(reply);
                break;
            case LondBehaviour.EncNewline when _cipher != null:
                reply = _cipher.EncryptRequest($"{reply}\nsplit-{reply}");
                break;
            case LondBehaviour.LongExitReply when command == "exit":
                reply = "bye" + MarkupLine + new string('z', _options.GarbageBytes);
                break;
            case LondBehaviour.DoubleReply:
                Write(reply);
                reply = "extra-" + reply;
                break;
            case LondBehaviour.Trickle:
                Flush();
                TrickleLine(reply);
                _answered++;
                return command != "exit";
            case LondBehaviour.StrayLine:
                Write(reply);
                Flush();
                Thread.Sleep(_options.ReplyDelayMs);
                reply = "stray-" + reply;
                break;
        }
        Write(reply);
        _answered++;
        _unsentReplies++;
        return command != "exit";
    }

    /// <summary>Complete lines the client wrote that are still in the socket's receive queue (peeked, not taken).</summary>
    private int LinesInSocket()
    {
        var available = _socket.Available;
        if (available == 0)
            return 0;
        var peek = new byte[available];
        var n = _socket.Receive(peek, 0, available, SocketFlags.Peek);
        return peek.AsSpan(0, n).Count((byte)'\n');
    }

    /// <summary>The line and its newline one byte at a time, <see cref="LondEmulatorOptions.ReplyDelayMs"/> apart.</summary>
    private void TrickleLine(string reply)
    {
        foreach (var b in Encoding.Latin1.GetBytes(reply + "\n"))
        {
            SendRaw(new[] { b });
            Thread.Sleep(_options.ReplyDelayMs);
        }
    }

    /// <summary>
    /// The next request line; under <see cref="LondBehaviour.CloseIdle"/> false once the link has been idle for
    /// <see cref="LondEmulatorOptions.ReplyDelayMs"/> (the session then closes it). The idle limit applies from the next wait.
    /// </summary>
    private bool NextRequest(out string line)
    {
        while (true)
        {
            var idleLimit = _lond.Behaviour == LondBehaviour.CloseIdle ? Math.Max(1, _options.ReplyDelayMs) : 0;
            if (idleLimit != _receiveTimeout)
            {
                _socket.ReceiveTimeout = idleLimit;
                _receiveTimeout = idleLimit;
            }
            if (NextLine(out line))
                return true;
            if (!_reader.TimedOut)
                return false;
            if (_lond.Behaviour == LondBehaviour.CloseIdle)
            {
                _options.Trace?.Invoke($"{_hostId} connection {_connection} idle for {idleLimit} ms: closing");
                return false;
            }
        }
    }

    private static bool IsSetupCommand(string line) =>
        line is "pong" or "ekey" ||
        line.StartsWith("sethost:", StringComparison.Ordinal) ||
        line.StartsWith("version:", StringComparison.Ordinal);

    /// <summary>lond's answer to one (plain) command.</summary>
    private string Answer(string command)
    {
        switch (command)
        {
            case "ping":
                return _hostId;
            case "pong":
                // Real lond pings the client back through its own lonc and answers "<own id>:<that reply>".
                return $"{_hostId}:{_options.ClientId}";
            case "ekey":
                return Ekey();
            case "exit":
                return "bye";
        }
        if (command.StartsWith("sethost:", StringComparison.Ordinal))
            return command["sethost:".Length..] == _hostId ? "ok" : "error:unknown_host";
        if (command.StartsWith("version:", StringComparison.Ordinal))
            return "version:" + _options.Version;
        if (command.StartsWith("echo:", StringComparison.Ordinal))
            return command["echo:".Length..];
        return "unknown_cmd";
    }

    private string Ekey()
    {
        var buildKey = _options.BuildKey
            ?? LondBuildKey.Create(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Environment.ProcessId, Random.Shared);
        // lond's side of spec §6.2: its own id first, the client's second; it never has a newline in the buildkey.
        _cipher = new LinkCipher(LinkKey.Derive(_hostId, _options.ClientId, buildKey));
        if (!_keyed)
        {
            _keyed = true;
            _lond.RecordHandshake();
        }
        return buildKey;
    }

    /// <summary>The next line with trailing <c>\r</c>/<c>\n</c> removed, recorded in the dialogue.</summary>
    private bool NextLine(out string line)
    {
        if (!_reader.TryReadLine(out var raw))
        {
            line = "";
            return false;
        }
        var span = raw.AsSpan();
        // lonc 1.53 may pass a client's "\r" through; lond chomped, so only line-end characters go.
        while (span.Length > 0 && span[^1] is (byte)'\r' or (byte)'\n')
            span = span[..^1];
        line = Encoding.Latin1.GetString(span);
        _lond.RecordLine(_hostId, line);
        return true;
    }

    private static string WordCharacters(string s) =>
        new(s.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());

    private void Write(string reply)
    {
        var needed = _outLength + Encoding.Latin1.GetByteCount(reply) + 1;
        if (needed > _out.Length)
            Array.Resize(ref _out, Math.Max(needed, _out.Length * 2));
        _outLength += Encoding.Latin1.GetBytes(reply, 0, reply.Length, _out, _outLength);
        _out[_outLength++] = (byte)'\n';
    }

    private void Send(string line)
    {
        Write(line);
        Flush();
    }

    private void Flush()
    {
        if (_outLength == 0)
            return;
        // Only when recording: the benchmark's emulator saves the syscall.
        if (_options.Record && _keyed && (_reader.Pending > 0 || _socket.Available > 0))
            _nextArrivedEarly = true;
        SendRaw(_out.AsSpan(0, _outLength));
        _outLength = 0;
        _unsentReplies = 0;
    }

    private void SendRaw(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
            bytes = bytes[_socket.Send(bytes)..];
    }
}
