using LegacyLonc.Cli;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Posix;
using LegacyLonc.Status;

namespace LegacyLonc.Parent;

/// <summary>
/// Start-up of the parent, in 1.53's order. The user was checked before anything was opened (Program). Every
/// refusal is a line on stderr and exit 78 (<see cref="ExitStatus.Config"/>), and also a CRITICAL line in
/// lonc.log whenever the log directory is known and exists (1.53 died with stderr only).
/// </summary>
public sealed partial class Supervisor
{
    /// <summary>
    /// Reads the configuration and hosts.tab, runs the checks <c>--check-config</c> runs, takes the pid file's lock,
    /// detaches unless told not to, writes the pid file and (detached) lets go of the launcher's streams.
    /// Returns the ready supervisor, or null with <paramref name="exitCode"/>.
    /// </summary>
    private static Supervisor? StartUp(LoncOptions options, SignalPipe signals, TextWriter stderr, out int exitCode)
    {
        exitCode = ExitStatus.Config;
        // 1.53's first statuses came before it had a log; here they are only titles.
        ProcessTitle.Set($"lonc: Read loncapa.conf and loncapa_apache.conf {PerlTime.Localtime(PerlTime.Now())}");
        var inspection = SettingsLoader.Inspect(options.ConfDir);
        if (inspection.Settings is not { } settings)
        {
            foreach (var problem in inspection.Problems)
                stderr.WriteLine($"lonc: {problem}");
            // A broken file may still name lonDaemons; then the log loncron shows hears about it too.
            if (inspection.Value("lonDaemons") is { } daemons && Directory.Exists(Path.Combine(daemons, "logs")))
            {
                var early = OpenLog(daemons, options);
                foreach (var problem in inspection.Problems)
                    early.Critical($"{problem}");
            }
            return null;
        }

        // $conserver is SHELL until the daemon has dissociated, as in 1.53. Opening never fails:
        // a log that cannot be written is reported on stderr line by line.
        var log = OpenLog(settings.LonDaemons, options);
        // A missing log directory is itself refused below: in one line on stderr, not one more per failed log line.
        var refusals = Directory.Exists(settings.LogDir) ? log : null;

        HostTable hosts;
        try
        {
            hosts = HostTable.Load(settings.HostsTabPath);
        }
        catch (ConfigException e)
        {
            Refuse(refusals, stderr, e.Message);
            return null;
        }

        // The process started by the administrator says it on the terminal; the one that goes on to run, in the log.
        var detach = !options.Foreground && !options.Detached;
        var launcher = !options.Detached;
        var running = !detach;

        log.Status("Check the directories and files");
        var readiness = StartupReadiness.Check(inspection, options.User, hosts);
        if (readiness.Problems.Count > 0)
        {
            foreach (var problem in readiness.Problems)
                Refuse(refusals, stderr, problem.ToString());
            return null;
        }

        var pidFile = new PidFile(settings.PidFilePath);
        if (pidFile.Take() is { } taken)
        {
            Refuse(refusals, stderr, taken);
            return null;
        }

        foreach (var problem in hosts.Problems)
        {
            // Each bad line costs its own host only (the others are served, as a USR2 does it).
            if (launcher)
                stderr.WriteLine($"lonc: warning: {problem}");
            if (running)
                log.Warning($"{problem}");
        }
        if (running && log.ConfigProblem is { } configProblem)
        {
            // Once, by the process that goes on to run; its children keep quiet about it.
            stderr.WriteLine($"lonc: {configProblem}");
            log.Warning($"{configProblem}");
        }

        // Also in the daemon copy, so its first log lines carry the status 1.53's forked daemon had.
        log.Status("Fork and dissociate");
        if (detach)
        {
            // The copy takes the lock for itself; holding it here would refuse the copy.
            pidFile.Release();
            exitCode = Detach(options, pidFile, refusals, stderr);
            return null;
        }

        log.Conserver = "PARENT";
        StandardStreams? streams = null;
        if (options.Detached)
        {
            streams = StandardStreams.Open(settings.ErrorsFilePath, out var streamFailure);
            if (streams is null)
            {
                Refuse(refusals, stderr, streamFailure!);
                pidFile.Release();
                return null;
            }
        }
        if (pidFile.Write(Environment.ProcessId) is { } writeFailure)
        {
            log.Critical($"Can't write {pidFile.Path}: {writeFailure}");
            stderr.WriteLine($"lonc: cannot write {pidFile.Path}: {writeFailure}");
            pidFile.Release();
            return null;
        }
        // The launcher returns on seeing the pid; its terminal, pipe or ssh session is let go (see StandardStreams).
        streams?.Take();
        // Every child spawned from here on is tied to this process (see ParentDeath).
        ParentDeath.Announce();
        log.Critical("---------- Starting ----------");
        return new Supervisor(options, settings, log, signals, pidFile, hosts);
    }

    /// <summary>
    /// No fork in .NET: the daemon is a fresh copy of this program in a new session. This process waits until
    /// the copy has written its pid file (exit 0) or has failed: its own 78 for a refusal, which it explained on the
    /// same stderr, else 1 with this process's line about how the copy ended.
    /// </summary>
    private static int Detach(LoncOptions options, PidFile pidFile, LoncLog? log, TextWriter stderr)
    {
        int daemon;
        try
        {
            daemon = ProcessSpawn.Start(SelfImage.Current.Argv(ImageArguments.ForDetached(options.RawArgs)), newSession: true);
        }
        catch (IOException e)
        {
            Refuse(log, stderr, $"cannot start the daemon: {SystemErrorText.Of(e)}");
            return ExitStatus.Failure;
        }
        if (DetachedStart.Await(daemon, pidFile, DetachedStart.Patience, out var exitStatus) is not { } failure)
            return ExitStatus.Ok;
        // A refusing copy said why, in one line on this stderr and in lonc.log; a second line would only repeat it.
        if (exitStatus != ExitStatus.Config)
            Refuse(log, stderr, $"not started: {failure}");
        return exitStatus;
    }

    /// <summary>A start-up refusal: on stderr, and CRITICAL in lonc.log (which reports on stderr if it cannot be written).</summary>
    private static void Refuse(LoncLog? log, TextWriter stderr, string message)
    {
        stderr.WriteLine($"lonc: {message}");
        log?.Critical($"{message}");
    }

    /// <summary>The parent's log; a broken lonc.log4net.config is reported by <see cref="StartUp"/>, once, not here.</summary>
    private static LoncLog OpenLog(string lonDaemons, LoncOptions options)
    {
        var log = LoncLog.Open(lonDaemons, "SHELL", LoncLogConfiguration.AdminConfigPath(options.ConfDir), reportConfigProblem: false);
        log.TitleSink = ProcessTitle.Set;
        return log;
    }
}
