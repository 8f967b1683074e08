using LegacyLonc.Configuration;
using LegacyLonc.Status;

namespace LegacyLonc.Cli;

/// <summary>
/// <c>lonc --status [--json]</c>: finds the running parent through lonc.pid and prints the status it keeps current in
/// <c>&lt;lonDaemons&gt;/logs/lonc.status.json</c> (<see cref="StatusSnapshot"/>), as a table or as the JSON document.
/// It only reads: no signal, no restart, no counter reset. Exit 0 with the status, 1 when lonc is not running or
/// has written no status.
/// </summary>
public static class StatusCommand
{
    public static int Run(LoncOptions options, TextWriter output, TextWriter errors)
    {
        // Only lonDaemons is needed: a typo elsewhere in the files (which the running lonc never took) must not hide its status.
        var inspection = SettingsLoader.Inspect(options.ConfDir);
        if (inspection.Value("lonDaemons") is not { } daemons)
        {
            errors.WriteLine($"lonc: {string.Join("\n", inspection.Problems)}");
            return 1;
        }
        var logDir = Path.Combine(daemons, "logs");
        var pidFile = new PidFile(Path.Combine(logDir, "lonc.pid"));
        if (pidFile.LivePid() is not { } pid)
        {
            errors.WriteLine($"lonc: lonc is not running (no live process named in {pidFile.Path})");
            return 1;
        }

        var path = Path.Combine(logDir, StatusSnapshot.FileName);
        StatusSnapshot status;
        try
        {
            status = StatusSnapshot.Parse(File.ReadAllBytes(path));
        }
        catch (FileNotFoundException)
        {
            errors.WriteLine($"lonc: process {pid} named in {pidFile.Path} has written no {path} (lonc starting or restarting, or not lonc)");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            errors.WriteLine($"lonc: cannot read {path}: {e.Message}");
            return 1;
        }
        if (status.Parent != pid)
        {
            errors.WriteLine($"lonc: {path} is from process {status.Parent}, not from process {pid} named in {pidFile.Path} (lonc starting or restarting, or not lonc)");
            return 1;
        }

        if (options.Json)
            output.Write(System.Text.Encoding.UTF8.GetString(status.ToJson(indented: true)));
        else
            StatusTable.Write(status, output);
        return 0;
    }
}
