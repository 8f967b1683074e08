using System.Globalization;
using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Parent;

/// <summary>
/// The parent's part of 1.53's <c>checkchildren()</c> on USR1: <c>&lt;lonDocRoot&gt;/lon-status/loncstatus.txt</c>
/// is rewritten with a header line and a line for every host that has no serving child; then every serving
/// child appends its own line when it gets USR1. So every host of hosts.tab has one line.
/// </summary>
/// <remarks>
/// The parent replaces the file (<see cref="ReplacedFile"/>: a new file renamed over the name, so a link planted at
/// the name is replaced, never written through); children then append under flock(LOCK_EX) (ChildStatusReport), and
/// <see cref="Read"/> takes the shared lock, so a line is never seen half-written. .NET's own file API cannot be
/// used: on Linux it takes a non-blocking flock of its own and fails while a child holds the lock.
/// </remarks>
public static class StatusReport
{
    /// <summary>lon-status/ is created readable for the web server whatever the umask (<c>drwxr-xr-x</c>).</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The pid field of a line the parent writes for a host without a serving child.</summary>
    public const string NoPid = "-";

    /// <summary><c>LONC status &lt;localtime&gt; - parent &lt;pid&gt;</c> and a newline.</summary>
    public static string Header(string localtime, int parentPid) =>
        string.Create(CultureInfo.InvariantCulture, $"LONC status {localtime} - parent {parentPid}\n");

    /// <summary>
    /// A host without a serving child, in the children's shape: <c>-\t&lt;host&gt;\t&lt;state&gt;\t&lt;last event&gt;</c>,
    /// the last event being the parent's last log line about the host.
    /// </summary>
    public static string ParentLine(string host, string state, string lastEvent) =>
        $"{NoPid}\t{host}\t{state}\t{lastEvent}\n";

    /// <summary>
    /// The state words of a parent line: <c>starting</c>, <c>sleeping after failure</c>,
    /// <c>backing off until &lt;localtime&gt;</c>, <c>skipped after &lt;n&gt; attempts</c>.
    /// </summary>
    public static string Describe(HostState state, int attempts, string retryLocaltime) => state switch
    {
        HostState.Starting => "starting",
        HostState.Serving => "serving",
        HostState.SleepingAfterFailure => "sleeping after failure",
        HostState.BackingOff => $"backing off until {retryLocaltime}",
        HostState.Skipped => $"skipped after {attempts} attempt{(attempts == 1 ? "" : "s")}",
        _ => state.ToString(),
    };

    /// <summary>The state word of a host a reload took out of hosts.tab.</summary>
    public const string Removed = "removed";

    /// <summary>
    /// Replaces <paramref name="path"/> with the header followed by <paramref name="parentLines"/> (creating
    /// lon-status/ if needed); IOException on failure.
    /// </summary>
    /// <remarks>A child still appending its line for an earlier USR1 appends it to the file replaced, which nobody reads.</remarks>
    public static void Start(string path, string localtime, int parentPid, IEnumerable<string>? parentLines = null)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, DirectoryMode);
            // mkdir(2) applies the umask; the web server must be able to read the report whatever it was.
            File.SetUnixFileMode(dir, DirectoryMode);
        }
        var text = new StringBuilder(Header(localtime, parentPid));
        foreach (var line in parentLines ?? Array.Empty<string>())
            text.Append(line);
        ReplacedFile.Write(path, Encoding.UTF8.GetBytes(text.ToString()), RawFile.ReadableByAll);
    }

    /// <summary>
    /// The report's lines, read under a shared flock: waits while a writer holds the lock, so a line is never
    /// seen half-written. Empty when the file does not exist; IOException when it cannot be read.
    /// </summary>
    /// <remarks>.NET's File.ReadAllText takes a non-blocking lock and fails instead while a child appends.</remarks>
    public static IReadOnlyList<string> Read(string path)
    {
        var fd = RawFile.Open(path, RawFile.ReadOnly | RawFile.CloseOnExec, 0, out var errno);
        if (fd < 0)
        {
            if (errno == Errno.ENOENT)
                return Array.Empty<string>();
            throw new SystemCallException("open", path, errno);
        }
        try
        {
            if ((errno = FileLock.Shared(fd)) != 0)
                throw new SystemCallException("flock", path, errno);
            var bytes = RawFile.ReadToEnd(fd, out errno) ?? throw new SystemCallException("read", path, errno);
            return Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            RawFile.Close(fd);
        }
    }
}
