using System.Net;
using System.Text;
using LegacyLonc.Crypto;
using LegacyLonc.Logging;

namespace LegacyLonc.Child;

/// <summary>An open, authenticated link: what openremote() left behind in 1.53's globals.</summary>
public sealed record OpenLink(LondLink Link, LinkCipher Cipher, string RemoteVersion);

/// <summary>
/// lonc 1.53's <c>openremote</c>: TCP connect, then the init dialogue — <c>init</c> → challenge → echo →
/// <c>ok</c>, <c>sethost:</c>, <c>version:</c>, pause, <c>pong</c>, <c>ekey</c> → IDEA key — logging the same
/// lines 1.53 logged. It never sleeps or exits itself: on failure it logs and returns null, and the caller
/// sleeps the announced seconds and exits so the parent restarts the child.
/// </summary>
public sealed class Handshake
{
    /// <summary>What lonc sends as <c>version:</c>: 1.53's literal <c>'$Revison$'</c> (misspelt, so CVS never expanded it).</summary>
    public const string LegacyVersion = "$Revison$";

    private readonly string _host;
    private readonly string _localId;
    private readonly IPEndPoint _endpoint;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _pongDelay;
    private readonly LoncLog _log;
    private readonly ChildSignals _signals;
    /// <summary>How the last exchange of the dialogue ended (<see cref="LinkOutcome.Reply"/> when it was answered).</summary>
    private LinkOutcome _failure;

    public Handshake(string host, string localId, IPEndPoint endpoint, TimeSpan timeout, TimeSpan pongDelay,
        LoncLog log, ChildSignals signals)
    {
        _host = host;
        _localId = localId;
        _endpoint = endpoint;
        _timeout = timeout;
        _pongDelay = pongDelay;
        _log = log;
        _signals = signals;
    }

    /// <summary>Connects and authenticates; <paramref name="failSleep"/> is the sleep the caller will do, quoted in the log as 1.53 did.</summary>
    public OpenLink? Open(int failSleep)
    {
        _log.Status($"Opening TCP {_host}");
        var link = new LondLink(_host, _log, _signals.StopRequested);
        if (!link.Open(_endpoint, _timeout, out var error))
        {
            _log.Warning($"Couldn't connect to {_host} ({failSleep} secs): {error}");
            return null;
        }
        try
        {
            var opened = Dialogue(link, failSleep);
            if (opened is null)
                link.Close("init dialogue failed");
            else
                link.MarkReady();
            return opened;
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    private OpenLink? Dialogue(LondLink link, int failSleep)
    {
        _log.Success($"INFO Connected to {_host}, initing");
        _log.Status($"Init dialogue: {_host}");

        if (!Ask(link, "init", out var challenge) || !Ask(link, challenge, out var answer))
            return TimedOutOrLost(link, "init");
        if (answer != "ok")
        {
            _log.Log($"Init reply: >{PeerText.Quote(answer)}<");
            _log.Warning($"Init failed ({failSleep} secs)");
            return null;
        }

        if (!Ask(link, $"sethost:{_host}", out answer))
            return TimedOutOrLost(link, "sethost");
        if (answer != "ok")
            _log.Warning($"unable to specify remote host{PeerText.Quote(answer)}");

        if (!Ask(link, $"version:{LegacyVersion}", out answer))
            return TimedOutOrLost(link, "version");
        var remoteVersion = "";
        if (answer.StartsWith("version:", StringComparison.Ordinal))
            remoteVersion = answer.Split(':')[1];
        else
            _log.Warning($"request remote version failed :{PeerText.Quote(answer)}: my version is :{LegacyVersion}:");

        // 1.53 slept 5 s here before pong (lond answers pong by pinging us back through its own lonc).
        if (_pongDelay > TimeSpan.Zero && _signals.SleepUnlessStopped(_pongDelay))
            return null;
        _log.Status($"Ponging {_host}");
        if (!Ask(link, "pong", out answer))
            return TimedOutOrLost(link, "pong");
        if (!answer.StartsWith(_host, StringComparison.Ordinal))
            _log.Log($"Pong reply: >{PeerText.Quote(answer)}<");

        _log.Status("Initialize cipher");
        if (!Ask(link, "ekey", out var buildKey))
            return TimedOutOrLost(link, "ekey");
        // 1.53 kept the buildkey's newline; chomped here so both ends derive the same key (README deviations).
        if (buildKey.Length == 0)
        {
            _log.Warning($"Could not establish secure connection ({failSleep} secs)! (empty ekey reply)");
            return null;
        }
        var cipher = new LinkCipher(LinkKey.Derive(_host, _localId, buildKey));
        _log.Log("Secure connection initialized");
        _log.Success(" Remote open success ");
        return new OpenLink(link, cipher, remoteVersion);
    }

    private bool Ask(LondLink link, string request, out string answer)
    {
        _failure = link.Transaction(Encoding.Latin1.GetBytes(request), _timeout, out var reply);
        answer = _failure == LinkOutcome.Reply ? Chomp(reply.Span) : "";
        return _failure == LinkOutcome.Reply;
    }

    /// <summary>
    /// The dialogue stopped at <paramref name="step"/> for <see cref="_failure"/>: logged in words that say which,
    /// 1.53's own line for a timeout of the init exchange. A stop signal is no failure of lond's: the link's
    /// "handshaking -> closed: interrupted by a stop signal" line says what happened, and the child stops.
    /// </summary>
    private OpenLink? TimedOutOrLost(LondLink link, string step)
    {
        if (_failure == LinkOutcome.Interrupted)
            return null;
        if (_failure == LinkOutcome.Timeout && step == "init")
        {
            // 1.53: "Timed out during init.. exiting" (an administrator's grep may look for it).
            _log.Log("Timed out during init.. exiting");
            return null;
        }
        var why = _failure switch
        {
            LinkOutcome.Timeout => $"lond did not answer within {_timeout.TotalSeconds:0} s",
            LinkOutcome.Oversized => $"lond sent more than {Limits.MaxReplyLine} bytes without a newline",
            _ => "lond closed the connection",
        };
        _log.Warning(
            $"Init dialogue with {_host} failed at {step} (link {LondLink.Name(link.FailedIn)}): {why} .. exiting");
        return null;
    }

    /// <summary>Perl's chomp plus a trailing CR: lond lines end in "\n"; a CR would otherwise end up in keys and versions.</summary>
    public static string Chomp(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\n')
            line = line[..^1];
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        return Encoding.Latin1.GetString(line);
    }
}
