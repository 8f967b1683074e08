using System.Diagnostics.CodeAnalysis;
using System.Text;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// lonc 1.53's <c>handle()</c>: one client request line in, one reply line out, through the lond link — one
/// request at a time (<see cref="Relay"/>), or (<c>loncPipelineDepth</c> above 1) a <see cref="RequestWindow"/> of
/// requests in flight, written behind each other and answered in order as their replies come
/// (<see cref="SendBehind"/>, <see cref="TakeReplies"/>). <c>encrypt:</c> requests leave as <c>enc:&lt;len&gt;:&lt;hex&gt;</c>, <c>enc:</c>
/// replies come back decrypted, and anything short of a reply line answers <c>con_lost</c> and marks the link for
/// re-opening.
/// </summary>
public sealed class RequestRelay : IDisposable
{
    private static readonly byte[] ConLost = "con_lost\n"u8.ToArray();
    private static readonly byte[] EncryptPrefix = "encrypt:"u8.ToArray();
    private static readonly byte[] EncPrefix = "enc:"u8.ToArray();
    private static readonly byte[] CloseConnectionExit = "close_connection_exit"u8.ToArray();
    private static readonly byte[] ExitRequest = "exit"u8.ToArray();

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

    /// <summary>
    /// lond answered <c>exit</c> on this link (1.53's parent sends it through every child when it stops or hangs up;
    /// lond answers <c>bye</c> and closes its end). Its close is then expected: logged as such, and the link is
    /// re-opened only when a request needs it, not at once (which opened a connection to every peer's lond on
    /// every shutdown, only for the child to be stopped in its handshake).
    /// </summary>
    private bool _exitAnswered;

    /// <summary>The link is closed because lond ended it after <c>exit</c>, as it does: re-open it when a request needs it, not before.</summary>
    public bool ClosedAfterExit { get; private set; }

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
        if (unread.Length == 0 && _exitAnswered)
        {
            // Expected (lond answers exit with bye and hangs up), and 1.53 logged nothing here: a stop costs its lines.
            ClosedAfterExit = true;
        }
        else if (unread.Length == 0)
            _log.Warning($"lond {_host} closed the connection while the link was {LondLink.Name(link.FailedIn)}; re-opening it");
        else
            _log.Critical(
                $"Protocol error: lond {_host} sent bytes nobody asked for while the link was {LondLink.Name(link.FailedIn)}: >{PeerText.Quote(unread)}<; re-opening the link");
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
                    _log.Critical("Request Close Connection ... exiting");
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
            _log.Critical($"{unanswered} more request(s) of the batch to {_host} had no reply yet: answered con_lost");
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
        else
        {
            ok = AppendReply(reply.Span, output);
        }
        _exitAnswered = ok && IsExit(wire);
        _log.Status("Completed: ", wire);
        return ok;
    }

    /// <summary>
    /// Appends a reply line as it came, or decrypted when it is <c>enc:</c>. An unframeable one, or one whose plain
    /// text holds a newline, appends con_lost, closes the link and returns false.
    /// </summary>
    /// <remarks>
    /// 1.53 passed a decrypted newline on, so the client read two lines for one request and every later reply of a
    /// persistent client was one off. A newline is what a wrong key makes of a reply, and no lond reply holds one
    /// (lond escapes its values): the reply is garbage, handled as an unframeable one.
    /// </remarks>
    private bool AppendReply(ReadOnlySpan<byte> reply, OutputBuffer output)
    {
        if (!reply.StartsWith(EncPrefix))
        {
            output.Append(reply);
            return true;
        }
        if (TryDecrypt(reply, out var plain))
        {
            if (plain.AsSpan().IndexOf((byte)'\n') < 0)
            {
                output.Append(plain);
                output.Append("\n"u8);
                return true;
            }
            RejectGarbage(reply, "the decrypted reply holds a newline, so the client would read more than one line");
        }
        output.Append(ConLost);
        return false;
    }

    /// <summary>The link's socket while requests are in flight on it (<c>loncPipelineDepth</c> above 1); null otherwise.</summary>
    public System.Net.Sockets.Socket? BusyLinkSocket => _link?.Link.BusySocket;

    /// <summary>
    /// The window (<c>loncPipelineDepth</c> above 1): writes the batch's requests (all for lond) in one write behind
    /// those already in <paramref name="window"/> (<c>encrypt:</c> ones as <c>enc:&lt;len&gt;:&lt;hex&gt;</c>), each
    /// entered there with its own deadline, <see cref="RequestTimeout"/> from now. The caller made sure of
    /// <see cref="LinkReady"/> when nothing was in flight. False when the write failed: then every request in the
    /// window, these included, has been answered con_lost (<paramref name="answered"/> called for each) and the link
    /// is closed for the caller to re-open.
    /// </summary>
    public bool SendBehind(RequestBatch batch, RequestWindow window, Action<ClientConnection> answered)
    {
        Handled += batch.Count;
        var open = _link ?? throw new InvalidOperationException("no lond link to send on");
        Encode(batch, open.Cipher);
        var deadline = MonotonicClock.After(RequestTimeout);
        for (var i = 0; i < batch.Count; i++)
            window.Add(batch[i].Client, batch.WireText(i), batch[i].Line.Length, deadline);
        // The write is bounded by the oldest request's deadline: were it to block that long, that one failed anyway.
        var sent = open.Link.SendMore(batch.Wire, window.HeadDeadline, RequestTimeout);
        if (sent == LinkOutcome.Reply)
            return true;
        FailWindow(window, sent, answered);
        return false;
    }

    /// <summary>
    /// The window, its link readable: receives what lond sent and answers the oldest requests in flight with the
    /// complete reply lines, in order, each appended to its own client's output (decrypted when <c>enc:</c>), calling
    /// <paramref name="answered"/> after each. A reply for a client that hung up is read and dropped like any other,
    /// so nobody else's shifts. Once none is left in flight the link is ready again, and anything more lond sent is
    /// left buffered for the no-unread-bytes check. False when the link failed (lond closed it, an error, a reply
    /// too long or unframeable): every request still in flight has then been answered con_lost and the link is
    /// closed for the caller to re-open.
    /// </summary>
    public bool TakeReplies(RequestWindow window, Action<ClientConnection> answered)
    {
        var link = (_link ?? throw new InvalidOperationException("no lond link to read")).Link;
        var received = link.ReceiveAvailable(window.HeadDeadline);
        if (received != LinkOutcome.Reply)
        {
            FailWindow(window, received, answered);
            return false;
        }
        while (!window.IsEmpty && link.TryTakeReply(out var reply))
        {
            var client = window.HeadClient;
            var ok = AppendReply(reply.Span, client.Output);
            _exitAnswered = ok && IsExit(window.HeadText);
            _log.Status("Completed: ", window.HeadText);
            window.Retire();
            answered(client);
            if (!ok)
            {
                // The garbage line is logged; the rest of the window cannot be trusted to the same stream.
                AnswerRest(window, answered);
                return false;
            }
        }
        if (window.IsEmpty)
        {
            link.EndExchange();
            return true;
        }
        if (!link.ReplyTooLong)
            return true;
        link.Abandon(LinkOutcome.Oversized, $"reply longer than {Limits.MaxReplyLine} bytes without a newline");
        FailWindow(window, LinkOutcome.Oversized, answered);
        return false;
    }

    /// <summary>
    /// The window, with requests in flight: the oldest one's deadline passed (<see cref="LinkOutcome.Timeout"/>) or
    /// a stop signal came (<see cref="LinkOutcome.Interrupted"/>). The link is closed — a late reply is discarded
    /// with it — and every request in flight answered con_lost.
    /// </summary>
    public void AbandonWindow(RequestWindow window, LinkOutcome outcome, Action<ClientConnection> answered)
    {
        _link?.Link.Abandon(outcome, outcome == LinkOutcome.Interrupted ? "interrupted by a stop signal" : "");
        FailWindow(window, outcome, answered);
    }

    /// <summary>The window: the link could not be re-opened for the batch, so nothing was sent; each of its requests is answered con_lost.</summary>
    public void AnswerUnsent(RequestBatch batch, Action<ClientConnection> answered)
    {
        Handled += batch.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            var client = batch[i].Client;
            client.Output.Append(ConLost);
            answered(client);
        }
    }

    /// <summary>
    /// The window: answers a request the child answers itself, once every earlier request of its client has its
    /// reply — <c>reset_retries</c> with ok (and passed on to the parent), an oversized line with con_lost.
    /// </summary>
    public void AnswerLocally(ClientConnection client, RequestKind kind)
    {
        Handled++;
        if (kind == RequestKind.ResetRetries)
        {
            ResetRetriesRequest.Handle(_host, _log);
            client.Output.Append(ResetRetriesRequest.Reply);
        }
        else
        {
            client.Output.Append(ConLost);
        }
    }

    /// <summary>The window: a <c>close_connection_exit</c> is due (every request before it is answered); logged as 1.53 did.</summary>
    public void AnnounceCloseConnectionExit()
    {
        Handled++;
        _log.Status("Request close connection");
        _log.Critical("Request Close Connection ... exiting");
    }

    /// <summary>The link failed with requests in flight: the oldest gets the failure's log line and con_lost, the others con_lost.</summary>
    private void FailWindow(RequestWindow window, LinkOutcome outcome, Action<ClientConnection> answered)
    {
        LogFailure(outcome, window.HeadText);
        var client = window.Retire();
        client.Output.Append(ConLost);
        answered(client);
        AnswerRest(window, answered);
    }

    /// <summary>Answers con_lost to every request left in the window, in order, and says in one line how many there were.</summary>
    private void AnswerRest(RequestWindow window, Action<ClientConnection> answered)
    {
        var rest = window.Count;
        while (!window.IsEmpty)
        {
            var client = window.Retire();
            client.Output.Append(ConLost);
            answered(client);
        }
        if (rest > 0)
            _log.Critical($"{rest} more request(s) in flight to {_host} had no reply yet: answered con_lost");
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
    /// One transaction for a text command (delayed replay): encrypts <c>encrypt:</c> commands.
    /// <paramref name="wire"/> is what went to lond; <paramref name="answer"/> is lond's reply, chomped, as it came.
    /// </summary>
    /// <remarks>
    /// As in 1.53 an <c>enc:</c> answer is not decrypted for the log: its plain text (an encrypted command's answer)
    /// must not reach the world-readable lonc.log. It is still checked: an unframeable one closes the link, as a
    /// client's would.
    /// </remarks>
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
        if (text.StartsWith("enc:", StringComparison.Ordinal) && !TryDecrypt(Encoding.Latin1.GetBytes(text), out _))
            return LinkOutcome.Closed;
        answer = text;
        return outcome;
    }

    /// <summary>Replaces a dead link with a freshly opened one (or null when that failed).</summary>
    public void Replace(OpenLink? link)
    {
        _link?.Link.Dispose();
        _link = link;
        _exitAnswered = ClosedAfterExit = false;
    }

    /// <summary>The request lonc's parent sends each child on stop and hang-up; lond answers <c>bye</c> and closes.</summary>
    private static bool IsExit(ReadOnlySpan<byte> wire) =>
        (wire.Length > 0 && wire[^1] == (byte)'\n' ? wire[..^1] : wire).SequenceEqual(ExitRequest);

    private bool TryDecrypt(ReadOnlySpan<byte> reply, out byte[] plain)
    {
        var line = reply;
        while (line.Length > 0 && (line[^1] == (byte)'\n' || line[^1] == (byte)'\r'))
            line = line[..^1];
        if (_link!.Cipher.TryDecryptReply(line, out plain, out var error))
            return true;
        RejectGarbage(line, error);
        return false;
    }

    /// <summary>Logs a garbage <c>enc:</c> reply and closes the link: lond and we disagree about the stream or the key, so it is never reused.</summary>
    private void RejectGarbage(ReadOnlySpan<byte> reply, string error)
    {
        // The reason may quote the reply's bytes.
        _log.Critical($"Garbage encrypted reply from {_host} ({LogText.EscapeMarkup(error)}): >{PeerText.Line(reply)}<");
        _link!.Link.Close("garbage enc: reply");
    }

    /// <summary>1.53's lines for a failed transaction, each followed by the host and the state the link failed in.</summary>
    private void LogFailure(LinkOutcome outcome, ReadOnlySpan<byte> wire)
    {
        var where = $"({_host}, link {LondLink.Name(_link?.Link.FailedIn ?? LinkState.Closed)})";
        switch (outcome)
        {
            case LinkOutcome.Timeout:
                _log.Critical($"Timeout: {PeerText.Line(wire)} {where}");
                break;
            case LinkOutcome.Oversized:
                _log.Critical($"Reply from {_host} longer than {Limits.MaxReplyLine} bytes without a newline: {PeerText.Line(wire)} {where}");
                break;
            case LinkOutcome.Interrupted:
                _log.Log($"Request interrupted by a stop signal: {PeerText.Line(wire)} {where}");
                break;
            default:
                _log.ConnectionLost($"CRITICAL lond connection lost {where}");
                break;
        }
    }

    public void Dispose()
    {
        _link?.Link.Dispose();
        _link = null;
    }
}
