using System.Globalization;
using LegacyLonc.Configuration;
using LegacyLonc.Logging;
using LegacyLonc.Parent;
using LegacyLonc.Posix;

namespace LegacyLonc.Cli;

/// <summary>
/// <c>lonc --status</c>: finds the running parent through lonc.pid, sends it USR1, waits (bounded) until it has
/// rewritten loncstatus.txt and every host of hosts.tab has its line, and prints the report as a table.
/// Exit 0 with the table, 1 when lonc is not running or does not answer.
/// </summary>
public static class StatusCommand
{
    /// <summary>How long to wait for the report (a child busy with a slow request answers after it).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const int PollMs = 20;

    public static int Run(LoncOptions options, TextWriter output, TextWriter errors) => Run(options, output, errors, Patience);

    /// <summary><see cref="Run(LoncOptions, TextWriter, TextWriter)"/> with another bound on the wait for the report.</summary>
    internal static int Run(LoncOptions options, TextWriter output, TextWriter errors, TimeSpan patience)
    {
        LoncSettings settings;
        try
        {
            settings = SettingsLoader.Load(options.ConfDir);
        }
        catch (ConfigException e)
        {
            errors.WriteLine($"lonc: {e.Message}");
            return 1;
        }

        var pidFile = new PidFile(settings.PidFilePath);
        if (pidFile.LivePid() is not { } pid)
        {
            errors.WriteLine($"lonc: lonc is not running (no live process named in {pidFile.Path})");
            return 1;
        }
        // A stale pid file may name an unrelated process by now, which USR1 would kill.
        if (!SignalDisposition.Catches(pid, Signals.Usr1))
        {
            errors.WriteLine($"lonc: process {pid} named in {pidFile.Path} does not catch USR1, so it is not a running lonc; not signalled");
            return 1;
        }

        var path = settings.StatusFilePath;
        var before = Header(path);
        // The header has one-second resolution: a report rewritten within this second would look unchanged.
        var deadline = MonotonicClock.After(TimeSpan.FromSeconds(1.5));
        while (before == $"LONC status {PerlTime.Localtime(PerlTime.Now())} - parent {pid}" && !MonotonicClock.Passed(deadline))
            Thread.Sleep(PollMs);

        IReadOnlyList<string> hosts;
        try
        {
            hosts = HostTable.Load(settings).Hosts.Select(h => h.Id).ToList();
        }
        catch (ConfigException)
        {
            hosts = Array.Empty<string>();
        }

        if (Signals.Send(pid, Signals.Usr1) is not 0 and var errno)
        {
            errors.WriteLine($"lonc: lonc (pid {pid}) could not be signalled: {SystemErrorText.Errno(errno)}");
            return 1;
        }

        const string header = "LONC status ";
        var pidSuffix = string.Create(CultureInfo.InvariantCulture, $" - parent {pid}");
        IReadOnlyList<string> lines = Array.Empty<string>();
        var rewritten = false;
        deadline = MonotonicClock.After(patience);
        while (true)
        {
            lines = ReadReport(path);
            rewritten = lines.Count > 0 && lines[0] != before && lines[0].StartsWith(header, StringComparison.Ordinal) &&
                        lines[0].EndsWith(pidSuffix, StringComparison.Ordinal);
            if (rewritten && StatusTable.Rows(lines.Skip(1)).Select(r => r.Host).ToHashSet().IsSupersetOf(hosts))
                break;
            if (MonotonicClock.Passed(deadline))
                break;
            Thread.Sleep(PollMs);
        }
        if (!rewritten)
        {
            errors.WriteLine($"lonc: lonc (pid {pid}) did not rewrite {path} within {patience.TotalSeconds:0.#} s");
            return 1;
        }

        var rows = StatusTable.Rows(lines.Skip(1));
        output.WriteLine($"lonc (pid {pid}), {lines[0][header.Length..^pidSuffix.Length]}: {StatusTable.Summary(rows)}");
        output.WriteLine();
        var missing = StatusTable.Write(rows, hosts, output);
        if (missing.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"No line yet from {string.Join(", ", missing)} (a child busy with a slow request reports when it is done;");
            output.WriteLine("a host added to hosts.tab after lonc started needs USR2)");
        }
        return 0;
    }

    private static string? Header(string path) => ReadReport(path).FirstOrDefault();

    private static IReadOnlyList<string> ReadReport(string path)
    {
        try
        {
            return StatusReport.Read(path);
        }
        catch (IOException)
        {
            return Array.Empty<string>();
        }
    }
}
