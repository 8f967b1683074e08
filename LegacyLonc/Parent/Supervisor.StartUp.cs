using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Parent;

/// <summary>Start-up of the parent, in 1.53's order; every refusal is one line on stderr and exit 1.</summary>
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
        LoncSettings settings;
        try
        {
            settings = SettingsLoader.Load(options.ConfDir);
        }
        catch (ConfigException e)
        {
            stderr.WriteLine($"lonc: {e.Message}");
            return null;
        }

        // $conserver is SHELL until the daemon has dissociated, as in 1.53. Opening never fails:
        // a log that cannot be written is reported on stderr line by line.
        var log = LoncLog.Open(settings.LonDaemons, "SHELL", LoncLogConfiguration.AdminConfigPath(options.ConfDir));
        log.TitleSink = ProcessTitle.Set;

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
            stderr.WriteLine($"lonc: already running (pid {running} in {pidFile.Path})");
            return null;
        }

        HostTable hosts;
        try
        {
            hosts = HostTable.Load(settings.HostsTabPath);
        }
        catch (ConfigException e)
        {
            log.Log(LogColor.Red, $"CRITICAL: {e.Message}");
            stderr.WriteLine($"lonc: {e.Message}");
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
            // No fork in .NET: the daemon is a fresh copy of this program in a new session.
            try
            {
                ProcessSpawn.Start(SelfImage.Current.Argv(ImageArguments.ForDetached(options.RawArgs)), newSession: true);
            }
            catch (IOException e)
            {
                stderr.WriteLine($"lonc: cannot start the daemon: {e.Message}");
                return null;
            }
            exitCode = 0;
            return null;
        }

        log.Conserver = "PARENT";
        try
        {
            pidFile.Write(Syscall.getpid());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Log(LogColor.Red, $"CRITICAL: Can't write {pidFile.Path}: {e.Message}");
            stderr.WriteLine($"lonc: cannot write {pidFile.Path}: {e.Message}");
            return null;
        }
        log.Log(LogColor.Red, "CRITICAL: ---------- Starting ----------");
        return new Supervisor(options, settings, log, signals, pidFile, hosts);
    }
}
