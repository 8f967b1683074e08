using System.Net;
using System.Net.Sockets;
using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;
using LegacyLonc.Reports;

namespace LegacyLonc.Child;

/// <summary>
/// One child process serving one remote host, in 1.53's order: unlink the stale socket, open the link
/// (connect + init dialogue), replay delayed messages, listen on <c>&lt;lonSockDir&gt;/&lt;host&gt;</c>, then the
/// select loop. Any failure to get there logs a WARNING, sleeps <c>loncFailSleepMin + rand(loncFailSleepSpread)</c>
/// seconds and exits 1, so the parent's restart counting works as in 1.53.
/// </summary>
public sealed class HostChild : IDisposable
{
    /// <summary>Exit codes of a child (the parent logs them).</summary>
    public static class ExitCode
    {
        /// <summary>Stopped by INT/TERM, or asked to by <c>close_connection_exit</c>.</summary>
        public const int Stopped = 0;
        /// <summary>Could not connect, authenticate, listen, or keep the link.</summary>
        public const int LinkFailed = 1;
        /// <summary>Configuration or host unknown: restarting will not help.</summary>
        public const int Misconfigured = 2;
    }

    private readonly LoncSettings _settings;
    private readonly HostEntry _host;
    private readonly LoncLog _log;
    private readonly ChildSignals _signals = new();
    private readonly int _failSleep;
    private RequestRelay? _relay;
    private Socket? _listener;
    private DelayedSpool? _spool;

    private HostChild(LoncSettings settings, HostEntry host, LoncLog log)
    {
        _settings = settings;
        _host = host;
        _log = log;
        _failSleep = settings.FailSleepMin + (settings.FailSleepSpread > 0 ? Random.Shared.Next(settings.FailSleepSpread) : 0);
    }

    /// <summary>Entry point of <c>lonc --child &lt;host&gt;</c>.</summary>
    public static int Run(LoncOptions options)
    {
        var hostId = options.ChildHost!;
        LoncSettings settings;
        HostEntry? host;
        try
        {
            // Spawned by the parent: what the parent holds, whatever the files say now. Started by hand: the files.
            if (options.ConfigFd is { } configFd)
                (settings, host) = ReadSnapshot(configFd, hostId);
            else
            {
                settings = SettingsLoader.Load(options.ConfDir);
                host = HostTable.Load(settings.HostsTabPath).Find(hostId);
            }
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"lonc child {hostId}: {e.Message}");
            return ExitCode.Misconfigured;
        }
        // A broken lonc.log4net.config is the parent's to report, once; a hundred children would repeat it.
        var log = LoncLog.Open(settings.LonDaemons, hostId, LoncLogConfiguration.AdminConfigPath(options.ConfDir), reportConfigProblem: false);
        log.TitleSink = ProcessTitle.Set;
        // The relay sets its status per request (as 1.53 did); spare it a prctl per request.
        ProcessTitle.ThreadNameInterval = TimeSpan.FromSeconds(1);
        if (host is null)
        {
            log.Critical($"{hostId} is not a valid host in {settings.HostsTabPath}; child exiting");
            return ExitCode.Misconfigured;
        }
        using var child = new HostChild(settings, host, log);
        try
        {
            return child.Serve();
        }
        catch (Exception e)
        {
            // 1.53's catchexception: say why the child died, in the log loncron shows, then let the parent
            // restart it. Nothing here should throw; this is the last line of defence, not control flow.
            log.Critical(
                $"ABNORMAL EXIT. Child {Environment.ProcessId} for server [{hostId}] died through \"{e.GetType().Name}\" with parameter [{SystemErrorText.Of(e)}]");
            // The trace, for whoever debugs it, on stderr (lonc_errors); its text, as above, in lonc's words.
            Console.Error.WriteLine($"lonc child {hostId}: {e.GetType().Name}: {SystemErrorText.Of(e)}\n{e.StackTrace}");
            return ExitCode.LinkFailed;
        }
    }

    /// <summary>Reads the parent's <see cref="ConfigSnapshot"/> from <paramref name="fd"/> to its end and closes it.</summary>
    private static (LoncSettings, HostEntry) ReadSnapshot(int fd, string hostId)
    {
        var bytes = RawFile.ReadToEnd(fd, out var errno);
        RawFile.Close(fd);
        if (bytes is null)
            throw new ConfigException(new[] { new Diagnostic(ConfigSnapshot.Origin, 0, $"cannot be read: {SystemErrorText.Errno(errno)}") });
        var (settings, host) = ConfigSnapshot.Parse(bytes);
        if (host.Id != hostId)
            throw new ConfigException(new[] { new Diagnostic(ConfigSnapshot.Origin, 0, $"is for host {host.Id}, not {hostId}") });
        return (settings, host);
    }

    private int Serve()
    {
        _log.Status($"Starting child for {_host.Id}");
        var socketPath = _settings.SocketPath(_host.Id);
        if (!RemoveStaleSocket(socketPath))
            return FailAndSleep();

        var opened = OpenLink();
        if (opened is null)
            return FailAndSleep();
        _log.Success($" Connection to {_host.Id} open ");
        _relay = new RequestRelay(_host.Id, _log, opened,
            TimeSpan.FromSeconds(_settings.InitTimeout), TimeSpan.FromSeconds(_settings.RequestTimeout));

        switch (ReplayDelayed())
        {
            case DelayedSpool.Result.Stopped:
                return ExitCode.Stopped;
            case DelayedSpool.Result.LinkLost when !Reopen():
                return _signals.StopRequested() ? ExitCode.Stopped : FailAndSleep();
        }

        _log.Status("Opening socket");
        _listener = Listen(socketPath);
        if (_listener is null)
        {
            _log.Warning($"Can't make server socket ({_failSleep} secs): .. exiting");
            return FailAndSleep();
        }
        _log.Success($"{_host.Id} online");
        ParentChannel.Tell(ParentChannel.Online, _host.Id);
        _log.Status($"Main loop {_host.Id}");

        // Measured now, with the link, the listener and the runtime's own descriptors open.
        var descriptors = DescriptorReserve.Measure();
        var loop = new ClientMultiplexer(_listener, _relay, _signals, _log, Reopen,
            () => ChildStatusReport.Append(_settings.StatusFilePath, _host.Id, _log, _relay.Handled), descriptors,
            _settings.PipelineDepth);
        var exit = loop.Run();
        switch (exit)
        {
            case ClientMultiplexer.Exit.LinkLost:
                // Remove the socket before the sleep so lonnet fails fast (and delays critical messages)
                // instead of hanging on a child that cannot serve.
                CloseListener();
                return _signals.StopRequested() ? ExitCode.Stopped : FailAndSleep();
            case ClientMultiplexer.Exit.Stopped:
                // The parent's own stop (INT) is in the log already ("Closing <host>: bye"; 1.53's children died on
                // INT without a word); a TERM (the parent's death, a kill by hand) says so.
                if (_signals.StoppedByTerm)
                    _log.Log($"Child for {_host.Id} stopping on signal");
                return ExitCode.Stopped;
            default:
                return ExitCode.Stopped;
        }
    }

    private OpenLink? OpenLink()
    {
        var endpoint = new IPEndPoint(_host.Address, _settings.LondPort);
        var handshake = new Handshake(_host.Id, _settings.LonHostId, endpoint,
            TimeSpan.FromSeconds(_settings.InitTimeout), TimeSpan.FromSeconds(_settings.PongDelay), _log, _signals);
        return handshake.Open(_failSleep);
    }

    /// <summary>
    /// After a lost link: reconnect with a full handshake and replay what lonnet spooled meanwhile. 1.53 called
    /// openremote here too (from its con_lost "kludge"), but replayed nothing until the child was restarted.
    /// </summary>
    private bool Reopen()
    {
        if (_signals.StopRequested())
            return false;
        _log.Log("Attempting to open a new connection");
        _relay!.Replace(OpenLink());
        if (_relay.NeedsReopen)
            return false;
        return ReplayDelayed() == DelayedSpool.Result.Done;
    }

    private DelayedSpool.Result ReplayDelayed() =>
        (_spool ??= new DelayedSpool(_settings.DelayedDir, _host.Id, _log)).Replay(_relay!);

    private Socket? Listen(string path)
    {
        if (!RemoveStaleSocket(path))
            return null;
        try
        {
            // 1.53 listened with a backlog of 10; lonnet opens a connection per request, so bursts need more.
            return SocketFile.Listen(path, backlog: 512);
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentException)
        {
            _log.Warning($"bind/listen on {path} failed: {SystemErrorText.Of(e)}");
            return null;
        }
    }

    /// <summary>False, after a WARNING naming the path, when something other than a stale socket of ours is there.</summary>
    private bool RemoveStaleSocket(string path)
    {
        if (SocketFile.RemoveStale(path) is not { } kept)
            return true;
        _log.Warning($"Can't remove stale socket {path}: {kept}; left in place, not listening");
        return false;
    }

    private int FailAndSleep()
    {
        _log.Status("Sleeping");
        // The failure was the last line logged; the parent shows it as the reason the host is down.
        ParentChannel.TellSleeping(_host.Id, _failSleep, FailureReason.Of(_log.LastLog));
        if (_signals.SleepUnlessStopped(TimeSpan.FromSeconds(_failSleep)))
            return ExitCode.Stopped;
        return ExitCode.LinkFailed;
    }

    private void CloseListener()
    {
        // Closing the bound socket makes .NET unlink its file: exactly the cleanup a stopping child needs.
        _listener?.Dispose();
        _listener = null;
    }

    public void Dispose()
    {
        _relay?.Dispose();
        CloseListener();
        _signals.Dispose();
    }
}
