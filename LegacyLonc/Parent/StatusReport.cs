using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mono.Unix.Native;

namespace LegacyLonc.Parent;

/// <summary>
/// The parent's part of 1.53's <c>checkchildren()</c> on USR1: <c>&lt;lonDocRoot&gt;/lon-status/loncstatus.txt</c>
/// is rewritten with a header line and a line for every host that has no serving child; then every serving
/// child appends its own line when it gets USR1. So every host of hosts.tab has one line.
/// </summary>
/// <remarks>
/// Children append under flock(LOCK_EX) (ChildStatusReport). The header is written under the same lock,
/// truncating only once it is held, so a child still appending from an earlier USR1 finishes its line
/// first. .NET's own file API cannot be used: on Linux it takes a non-blocking flock of its own and
/// fails while a child holds the lock.
/// </remarks>
public static class StatusReport
{
    private const int LOCK_SH = 1;
    private const int LOCK_EX = 2;

    /// <summary>lon-status/ is created readable for the web server whatever the umask (<c>drwxr-xr-x</c>).</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The pid field of a line the parent writes for a host without a serving child.</summary>
    public const string NoPid = "-";

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

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
    /// Truncates <paramref name="path"/> to the header followed by <paramref name="parentLines"/> (creating
    /// lon-status/ if needed); IOException on failure.
    /// </summary>
    public static void Start(string path, string localtime, int parentPid, IEnumerable<string>? parentLines = null)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, DirectoryMode);
            // mkdir(2) applies the umask; the web server must be able to read the report whatever it was.
            File.SetUnixFileMode(dir, DirectoryMode);
        }

        const FilePermissions mode = FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP | FilePermissions.S_IROTH;
        var fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_APPEND | OpenFlags.O_CLOEXEC, mode);
        if (fd < 0)
            throw Failure("open", path);
        try
        {
            // open(2) applies the umask too; a file of somebody else's (EPERM) keeps its mode.
            Syscall.fchmod(fd, mode);
            if (flock(fd, LOCK_EX) != 0 || Syscall.ftruncate(fd, 0) != 0)
                throw Failure("lock/truncate", path);
            var text = new StringBuilder(Header(localtime, parentPid));
            foreach (var line in parentLines ?? Array.Empty<string>())
                text.Append(line);
            // One write: a reader taking the lock sees the header and the parent's lines together.
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            unsafe
            {
                fixed (byte* p = bytes)
                {
                    if (Syscall.write(fd, p, (ulong)bytes.Length) != bytes.Length)
                        throw Failure("write", path);
                }
            }
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    /// <summary>
    /// The report's lines, read under a shared flock: waits while a writer holds the lock, so a line is never
    /// seen half-written. Empty when the file does not exist; IOException when it cannot be read.
    /// </summary>
    /// <remarks>.NET's File.ReadAllText takes a non-blocking lock and fails instead while a child appends.</remarks>
    public static IReadOnlyList<string> Read(string path)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            if (Marshal.GetLastPInvokeError() == (int)Errno.ENOENT)
                return Array.Empty<string>();
            throw Failure("open", path);
        }
        try
        {
            if (flock(fd, LOCK_SH) != 0)
                throw Failure("lock", path);
            var bytes = new List<byte>();
            var chunk = new byte[8192];
            while (true)
            {
                long n;
                unsafe
                {
                    fixed (byte* p = chunk)
                        n = Syscall.read(fd, p, (ulong)chunk.Length);
                }
                if (n < 0 && Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
                    continue;
                if (n < 0)
                    throw Failure("read", path);
                if (n == 0)
                    break;
                bytes.AddRange(chunk.AsSpan(0, (int)n));
            }
            var text = Encoding.UTF8.GetString(bytes.ToArray());
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    private static IOException Failure(string what, string path) =>
        new($"{what} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
