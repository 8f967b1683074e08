using System.Globalization;
using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>
/// <c>&lt;lonDaemons&gt;/logs/lonc.pid</c>: the parent's pid and a newline. loncron reads it to signal the
/// parent, and a second lonc refuses to start while it names a live process.
/// </summary>
public sealed class PidFile
{
    private readonly Func<int, bool> _isAlive;

    public PidFile(string path, Func<int, bool>? isAlive = null)
    {
        Path = path;
        _isAlive = isAlive ?? IsAlive;
    }

    public string Path { get; }

    /// <summary>The pid on the first line, or null when the file is missing, unreadable or not a pid.</summary>
    public int? ReadPid()
    {
        string? first;
        try
        {
            using var reader = new StreamReader(Path);
            first = reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // 1.53 handed whatever the line held to kill(0, ...); a non-number there made Perl signal pid 0
        // (its own process group) and report "already running". Such a file is treated as stale here.
        return int.TryParse(first?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : null;
    }

    /// <summary>The pid in the file when that process is alive (kill 0) and is not this process; else null.</summary>
    public int? LivePid()
    {
        var pid = ReadPid();
        if (pid is not { } p || p == Environment.ProcessId)
            return null;
        return _isAlive(p) ? p : null;
    }

    /// <summary>The pid file's mode: loncron and administrators read it, only lonc writes it.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <c>&lt;pid&gt;\n</c> with mode 0644, replacing any earlier file at once (a reader never sees a
    /// half-written one). On failure the exception propagates and no temporary file is left behind.
    /// </summary>
    public void Write(int pid)
    {
        var temp = Path + ".new";
        var bytes = Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture) + "\n");
        try
        {
            // A leftover from a crash would keep its old mode: start afresh, and create with the mode wanted.
            File.Delete(temp);
            using (var stream = new FileStream(temp, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew,
                       Access = FileAccess.Write,
                       UnixCreateMode = Mode,
                   }))
            {
                stream.Write(bytes);
            }
            File.Move(temp, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    /// <summary>Removes the file; a missing file is fine.</summary>
    public void Remove()
    {
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>kill(pid, 0): the process exists (EPERM means it exists but belongs to someone else).</summary>
    public static bool IsAlive(int pid) => Signals.ProcessExists(pid);
}
