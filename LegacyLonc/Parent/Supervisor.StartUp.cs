using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>
/// Start-up of the parent, in 1.53's order. Every refusal is a line on stderr and exit 1, and also a
/// CRITICAL line in lonc.log whenever the log directory is known and exists (1.53 died with stderr only).
/// </summary>
public sealed partial class Supervisor
{
    /// <summary>
    /// Reads the configuration, checks the user and the pid file, reads hosts.tab, detaches unless told
    /// not to, writes the pid file. Returns the ready supervisor, or null with <paramref name="exitCode"/>.
    /// </summary>
    private static Supervisor? StartUp(LoncOptions options, SignalPipe signals, TextWriter stderr, out int exitCode)
    {
        exitCode = 1;
        // 1.53's first statuses came before it had a log; here they are only titles.
        ProcessTitle.Set($"lonc: Read loncapa.conf and loncapa_apache.conf {PerlTime.Localtime(PerlTime.Now())}");
        var inspection = SettingsLoader.Inspect(options.ConfDir);
        if (inspection.Settings is not { } settings)
        {
            stderr.WriteLine($"lonc: {string.Join("\n", inspection.Problems)}");
            // A broken file may still name lonDaemons; then the log loncron shows hears about it too.
            if (inspection.Value("lonDaemons") is { } daemons && Directory.Exists(Path.Combine(daemons, "logs")))
            {
                var early = OpenLog(daemons, options);
                foreach (var problem in inspection.Problems)
                    early.Log(LogColor.Red, $"CRITICAL: {problem}");
            }
            return null;
        }

        // $conserver is SHELL until the daemon has dissociated, as in 1.53. Opening never fails:
        // a log that cannot be written is reported on stderr line by line.
        var log = OpenLog(settings.LonDaemons, options);

        log.Status("Check user ID");
        var userLine = $"User ID mismatch.  lonc must be run as user {options.User}.";
        if (EffectiveUser.Mismatch(options.User) is { } mismatch)
        {
            // 1.53 mailed this to lonAdmEMail/lonSysEMail; the log is where loncron's page shows it.
            log.Log(LogColor.Red, $"CRITICAL: {userLine}");
            stderr.WriteLine($"lonc: {userLine} ({mismatch})");
            return null;
        }

        var pidFile = new PidFile(settings.PidFilePath);
        if (pidFile.LivePid() is { } running)
        {
            Refuse(log, stderr, $"already running (pid {running} in {pidFile.Path})");
            return null;
        }

        HostTable hosts;
        try
        {
            hosts = HostTable.Load(settings.HostsTabPath);
        }
        catch (ConfigException e)
        {
            Refuse(log, stderr, e.Message);
            return null;
        }

        var detach = !options.Foreground && !options.Detached;
        foreach (var problem in hosts.Problems)
        {
            // The terminal hears about bad lines once, from the process started there; the log once,
            // from the process that goes on to run.
            if (!options.Detached)
                stderr.WriteLine($"lonc: warning: {problem}");
            if (!detach)
                log.Log(LogColor.Blue, $"WARNING: {problem}");
        }

        // Also in the daemon copy, so its first log lines carry the status 1.53's forked daemon had.
        log.Status("Fork and dissociate");
        if (detach)
        {
            exitCode = Detach(options, pidFile, log, stderr);
            return null;
        }

        log.Conserver = "PARENT";
        try
        {
            pidFile.Write(Environment.ProcessId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = SystemErrorText.Of(e);
            log.Log(LogColor.Red, $"CRITICAL: Can't write {pidFile.Path}: {reason}");
            stderr.WriteLine($"lonc: cannot write {pidFile.Path}: {reason}");
            return null;
        }
        // Every child spawned from here on is tied to this process (see ParentDeath).
        ParentDeath.Announce();
        log.Log(LogColor.Red, "CRITICAL: ---------- Starting ----------");
        return new Supervisor(options, settings, log, signals, pidFile, hosts);
    }

    /// <summary>
    /// No fork in .NET: the daemon is a fresh copy of this program in a new session. This process waits until
    /// the copy has written its pid file (exit 0) or has failed (exit 1; the copy said why on the same stderr).
    /// </summary>
    private static int Detach(LoncOptions options, PidFile pidFile, LoncLog log, TextWriter stderr)
    {
        int daemon;
        try
        {
            daemon = ProcessSpawn.Start(SelfImage.Current.Argv(ImageArguments.ForDetached(options.RawArgs)), newSession: true);
        }
        catch (IOException e)
        {
            Refuse(log, stderr, $"cannot start the daemon: {SystemErrorText.Of(e)}");
            return 1;
        }
        if (DetachedStart.Await(daemon, pidFile, DetachedStart.Patience) is not { } failure)
            return 0;
        Refuse(log, stderr, $"not started: {failure}");
        return 1;
    }

    /// <summary>A start-up refusal: on stderr, and CRITICAL in lonc.log (which reports on stderr if it cannot be written).</summary>
    private static void Refuse(LoncLog log, TextWriter stderr, string message)
    {
        stderr.WriteLine($"lonc: {message}");
        log.Log(LogColor.Red, $"CRITICAL: {message}");
    }

    private static LoncLog OpenLog(string lonDaemons, LoncOptions options)
    {
        var log = LoncLog.Open(lonDaemons, "SHELL", LoncLogConfiguration.AdminConfigPath(options.ConfDir));
        log.TitleSink = ProcessTitle.Set;
        return log;
    }
}
