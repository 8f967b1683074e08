using System.Diagnostics.CodeAnalysis;
using System.Text;
using LegacyLonc.Logging;

namespace LegacyLonc.Child;

/// <summary>
/// lonc 1.53's <c>handle()</c>: one client request line in, one reply line out, through the lond link — one
/// request at a time, or (<c>loncPipelineDepth</c> above 1) a <see cref="RequestBatch"/> of them in one write,
/// their replies read in order. <c>encrypt:</c> requests leave as <c>enc:&lt;len&gt;:&lt;hex&gt;</c>, <c>enc:</c>
/// replies come back decrypted, and anything short of a reply line answers <c>con_lost</c> and marks the link for
/// re-opening.
/// </summary>
public sealed class RequestRelay : IDisposable
{
    private static readonly byte[] ConLost = "con_lost\n"u8.ToArray();
    private static readonly byte[] EncryptPrefix = "encrypt:"u8.ToArray();
    private static readonly byte[] EncPrefix = "enc:"u8.ToArray();
    private static readonly byte[] CloseConnectionExit = "close_connection_exit"u8.ToArray();

    private readonly string _host;
    private readonly LoncLog _log;
    private OpenLink? _link;

    public RequestRelay(string host, LoncLog log, OpenLink link, TimeSpan initTimeout, TimeSpan requestTimeout)
    {
        _host = host;
        _log = log;
        _link = link;
        InitTimeout = initTimeout;
        RequestTimeout = requestTimeout;
    }

    public TimeSpan InitTimeout { get; }
    public TimeSpan RequestTimeout { get; }

    /// <summary>True when the link died (or never came back) and must be re-opened before the next request.</summary>
    public bool NeedsReopen => _link is null || _link.Link.IsBroken;

    /// <summary>The link's socket while it is idle (the select loop watches it); null otherwise.</summary>
    public System.Net.Sockets.Socket? IdleLinkSocket => _link?.Link.IdleSocket;

    /// <summary>The main loop's select saw nothing on the idle link (see <see cref="LondLink.SawQuiet"/>).</summary>
    public void LinkSeenQuiet() => _link?.Link.SawQuiet();

    /// <summary>True when lond sent more than was asked and the surplus is already buffered.</summary>
    public bool LinkHasBufferedBytes => _link?.Link.HasBufferedBytes == true;

    /// <summary>
    /// True when the link can carry the next request: open, idle, and holding no unread byte (nothing buffered,
    /// nothing readable on the socket). Anything lond sent unasked is a protocol error: logged (escaped and cut),
    /// and the link closed, so the caller re-opens it before the request goes out and no reply reaches the wrong client.
    /// </summary>
    [MemberNotNullWhen(true, nameof(_link))]
    public bool LinkReady()
    {
        if (_link is null)
            return false;
        var link = _link.Link;
        if (link.State != LinkState.Ready)
            return false;
        if (link.CheckQuiet(out var unread))
            return true;
        if (unread.Length == 0)
            _log.Log(LogColor.Blue, $"WARNING: lond {_host} closed the connection while the link was {LondLink.Name(link.FailedIn)}; re-opening it");
        else
            _log.Log(LogColor.Red,
                $"CRITICAL: Protocol error: lond {_host} sent bytes nobody asked for while the link was {LondLink.Name(link.FailedIn)}: >{PeerText.Quote(unread)}<; re-opening the link");
        return false;
    }

    /// <summary>Requests handled since the child started (for the benchmark's debug status).</summary>
    public long Handled { get; private set; }

    /// <summary>What the caller must do after a batch.</summary>
    public enum Verdict { Continue, Exit }

    /// <summary>What a request line (newline included) asks for.</summary>
    public static RequestKind Classify(ReadOnlySpan<byte> line)
    {
        var request = line.Length > 0 && line[^1] == (byte)'\n' ? line[..^1] : line;
        // 1.53 compared the chomped request with "close_connection_exit\n", so this never fired there.
        if (request.SequenceEqual(CloseConnectionExit))
            return RequestKind.CloseConnectionExit;
        // loncnew's reset_retries is the child's and the parent's business, not lond's.
        if (ResetRetriesRequest.Matches(request))
            return RequestKind.ResetRetries;
        return RequestKind.Lond;
    }

    /// <summary>
    /// Relays a batch: writes every lond request in one go (<c>encrypt:</c> ones as <c>enc:&lt;len&gt;:&lt;hex&gt;</c>),
    /// then answers the entries in order — lond's k-th reply to its k-th request, the child's own answers in their
    /// place — appending exactly one reply line to each entry's client, and calling <paramref name="answered"/> for a
    /// client once its last entry of the batch is answered. With depth 1 this is 1.53's <c>handle()</c>: one request
    /// on the wire, its reply, nothing else.
    /// </summary>
    /// <remarks>
    /// The caller made sure of <see cref="LinkReady"/> (or failed to re-open the link: then every lond request gets
    /// <c>con_lost</c>). A timeout, a lost link, an oversized or unframeable reply answers <c>con_lost</c> to that
    /// request and to every later one of the batch, and leaves the link closed for the caller to re-open: a reply
    /// that comes late can then never be taken for another request's. A client that hung up still has its reply
    /// read (the replies after it depend on that) and dropped.
    /// </remarks>
    /// <returns><see cref="Verdict.Exit"/> when the batch ended in <c>close_connection_exit</c>.</returns>
    public Verdict Relay(RequestBatch batch, Action<ClientConnection> answered)
    {
        Handled += batch.Count;
        var link = _link is { Link.State: LinkState.Ready } ? _link.Link : null;
        var flowing = false;
        var unanswered = 0;
        if (batch.LondCount > 0 && link is not null)
        {
            Encode(batch, _link!.Cipher);
            var sent = link.Send(batch.Wire, RequestTimeout);
            if (sent == LinkOutcome.Reply)
            {
                flowing = true;
            }
            else
            {
                LogFailure(sent, batch.WireText(FirstLond(batch)));
                unanswered = -1; // that first request has its line now
            }
        }

        var verdict = Verdict.Continue;
        for (var i = 0; i < batch.Count; i++)
        {
            ref var entry = ref batch[i];
            var output = entry.Client.Output;
            switch (entry.Kind)
            {
                case RequestKind.ResetRetries:
                    ResetRetriesRequest.Handle(_host, _log);
                    output.Append(ResetRetriesRequest.Reply);
                    break;
                case RequestKind.CloseConnectionExit:
                    _log.Status("Request close connection");
                    _log.Log(LogColor.Red, "CRITICAL: Request Close Connection ... exiting");
                    verdict = Verdict.Exit;
                    continue;
                case RequestKind.Oversized:
                    output.Append(ConLost);
                    entry.Client.Closing = true;
                    break;
                default:
                    if (!flowing)
                    {
                        output.Append(ConLost);
                        if (link is not null)
                            unanswered++;
                        break;
                    }
                    flowing = Answer(link!, batch.WireText(i), output);
                    break;
            }
            if (!entry.MoreFollow)
                answered(entry.Client);
        }
        if (flowing)
            link!.EndExchange();
        // The request the exchange failed on has its own line above; say what became of the rest.
        if (unanswered > 0)
            _log.Log(LogColor.Red, $"CRITICAL: {unanswered} more request(s) of the batch to {_host} had no reply yet: answered con_lost");
        return verdict;
    }

    /// <summary>Reads the next reply and appends it (decrypted when it is <c>enc:</c>) or con_lost; false when the link failed.</summary>
    private bool Answer(LondLink link, ReadOnlySpan<byte> wire, OutputBuffer output)
    {
        var outcome = link.ReadReply(out var reply);
        var ok = outcome == LinkOutcome.Reply;
        if (!ok)
        {
            LogFailure(outcome, wire);
            output.Append(ConLost);
        }
        else if (!reply.Span.StartsWith(EncPrefix))
        {
            output.Append(reply.Span);
        }
        else if (TryDecrypt(reply.Span, out var plain))
        {
            output.Append(plain);
            output.Append("\n"u8);
        }
        else
        {
            output.Append(ConLost);
            ok = false;
        }
        _log.Status("Completed: ", wire);
        return ok;
    }

    /// <summary>Writes each lond entry's wire form into the batch: the line as sent, or <c>encrypt:</c> as <c>enc:</c>.</summary>
    private static void Encode(RequestBatch batch, Crypto.LinkCipher cipher)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            ref var entry = ref batch[i];
            if (entry.Kind != RequestKind.Lond)
                continue;
            var line = entry.Line.Span;
            var request = line.Length > 0 && line[^1] == (byte)'\n' ? line[..^1] : line;
            if (request.StartsWith(EncryptPrefix))
                batch.AppendWire(i, cipher.EncryptRequest(request[EncryptPrefix.Length..]));
            else
                batch.AppendWire(i, line);
        }
    }

    private static int FirstLond(RequestBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Kind == RequestKind.Lond)
                return i;
        }
        return 0;
    }

    /// <summary>
    /// One transaction for a text command (delayed replay): encrypts <c>encrypt:</c> commands, decrypts
    /// <c>enc:</c> answers. <paramref name="wire"/> is what went to lond; <paramref name="answer"/> is chomped.
    /// </summary>
    public LinkOutcome Transact(string command, TimeSpan timeout, out string wire, out string answer)
    {
        answer = "";
        var bytes = Encoding.Latin1.GetBytes(command);
        wire = command;
        if (!LinkReady())
            return LinkOutcome.Closed;
        if (bytes.AsSpan().StartsWith(EncryptPrefix))
        {
            bytes = _link.Cipher.EncryptRequest(bytes.AsSpan(EncryptPrefix.Length));
            wire = Encoding.Latin1.GetString(bytes);
        }
        var outcome = _link.Link.Transaction(bytes, timeout, out var reply);
        if (outcome != LinkOutcome.Reply)
        {
            LogFailure(outcome, bytes);
            return outcome;
        }
        var text = Handshake.Chomp(reply.Span);
        if (text.StartsWith("enc:", StringComparison.Ordinal))
        {
            if (!TryDecrypt(Encoding.Latin1.GetBytes(text), out var plain))
                return LinkOutcome.Closed;
            text = Encoding.Latin1.GetString(plain);
        }
        answer = text;
        return outcome;
    }

    /// <summary>Replaces a dead link with a freshly opened one (or null when that failed).</summary>
    public void Replace(OpenLink? link)
    {
        _link?.Link.Dispose();
        _link = link;
    }

    private bool TryDecrypt(ReadOnlySpan<byte> reply, out byte[] plain)
    {
        var line = reply;
        while (line.Length > 0 && (line[^1] == (byte)'\n' || line[^1] == (byte)'\r'))
            line = line[..^1];
        if (_link!.Cipher.TryDecryptReply(line, out plain, out var error))
            return true;
        // A reply we cannot frame means lond and we disagree about the stream: never reuse the link.
        _log.Log(LogColor.Red, $"CRITICAL: Garbage encrypted reply from {_host} ({error}): >{PeerText.Line(line)}<");
        _link.Link.Close("unframeable enc: reply");
        return false;
    }

    /// <summary>1.53's lines for a failed transaction, each followed by the host and the state the link failed in.</summary>
    private void LogFailure(LinkOutcome outcome, ReadOnlySpan<byte> wire)
    {
        var where = $"({_host}, link {LondLink.Name(_link?.Link.FailedIn ?? LinkState.Closed)})";
        switch (outcome)
        {
            case LinkOutcome.Timeout:
                _log.Log(LogColor.Red, $"CRITICAL: Timeout: {PeerText.Line(wire)} {where}");
                break;
            case LinkOutcome.Oversized:
                _log.Log(LogColor.Red, $"CRITICAL: Reply from {_host} longer than {Limits.MaxReplyLine} bytes without a newline: {PeerText.Line(wire)} {where}");
                break;
            case LinkOutcome.Interrupted:
                _log.Log($"Request interrupted by a stop signal: {PeerText.Line(wire)} {where}");
                break;
            default:
                _log.Log(LogColor.Red, $"CRITICAL lond connection lost {where}");
                break;
        }
    }

    public void Dispose()
    {
        _link?.Link.Dispose();
        _link = null;
    }
}
