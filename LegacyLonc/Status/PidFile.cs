using System.Globalization;
using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Status;

/// <summary>
/// <c>&lt;lonDaemons&gt;/logs/lonc.pid</c>: the parent's pid and a newline. loncron and <c>lonc --status</c> read it
/// to find the parent; the running parent holds an exclusive flock on it for its lifetime (<see cref="Take"/>),
/// and that lock, not the number in the file, is what refuses a second lonc.
/// </summary>
/// <remarks>
/// 1.53 refused while the file named any live process, so a pid reused after a crash or a reboot blocked
/// start-up for good. The lock dies with the process that held it, whatever the file says.
/// </remarks>
public sealed class PidFile
{
    private readonly Func<int, bool> _isAlive;
    private ExclusiveFile? _held;

    public PidFile(string path, Func<int, bool>? isAlive = null)
    {
        Path = path;
        _isAlive = isAlive ?? IsAlive;
    }

    public string Path { get; }

    /// <summary>The pid on the first line, or null when the file is missing, unreadable, a link or not a pid.</summary>
    /// <remarks>
    /// Read with plain system calls: .NET's own file API takes a shared flock, which fails while the running
    /// parent holds its exclusive one.
    /// </remarks>
    public int? ReadPid()
    {
        var fd = RawFile.Open(Path, RawFile.ReadOnly | RawFile.CloseOnExec | RawFile.NoFollow, 0, out _);
        if (fd < 0)
            return null;
        var bytes = RawFile.ReadToEnd(fd, out _);
        RawFile.Close(fd);
        var first = bytes is null ? null : Encoding.ASCII.GetString(bytes).Split('\n')[0];
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
    public const int Mode = RawFile.ReadableByAll;

    /// <summary>
    /// Opens the file (without following a link; it must be a regular file) and takes its lock, held until
    /// <see cref="Release"/> or the end of the process; null when held, otherwise the one-line refusal.
    /// </summary>
    public string? Take()
    {
        _held = ExclusiveFile.Take(Path, Mode, out var refusal, out var reason);
        if (_held is not null)
        {
            // A file left by an older lonc may have another mode; this one is ours now.
            _held.ChangeMode(Mode);
            return null;
        }
        if (refusal == ExclusiveFile.Refusal.Held)
            return ReadPid() is { } pid ? $"already running (pid {pid} in {Path})" : $"already running ({Path} {reason})";
        return $"{Path} {reason}";
    }

    /// <summary>
    /// Lets go of the lock (the process that took it is not the one that goes on to run, or refuses after all).
    /// A file that names no pid, the empty one <see cref="Take"/> created among them, is removed first: loncron's
    /// <c>kill 0</c> on an empty pid signals its own process group and would take lonc for running.
    /// </summary>
    public void Release()
    {
        if (_held is not null && ReadPid() is null)
            Remove();
        _held?.Dispose();
        _held = null;
    }

    /// <summary>
    /// Writes <c>&lt;pid&gt;\n</c> into the file taken with <see cref="Take"/>, in place (the locked file stays the
    /// pid file); null, or why it failed.
    /// </summary>
    public string? Write(int pid)
    {
        if (_held is null)
            throw new InvalidOperationException($"{Path} is written only while its lock is held");
        var errno = _held.Replace(pid.ToString(CultureInfo.InvariantCulture) + "\n");
        return errno == 0 ? null : SystemErrorText.Errno(errno);
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
