using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mono.Unix.Native;

namespace LegacyLonc.Parent;

/// <summary>
/// The parent's part of 1.53's <c>checkchildren()</c> on USR1: <c>&lt;lonDocRoot&gt;/lon-status/loncstatus.txt</c>
/// is rewritten with a header line, then every child appends its own line when it gets USR1.
/// </summary>
/// <remarks>
/// Children append under flock(LOCK_EX) (ChildStatusReport). The header is written under the same lock,
/// truncating only once it is held, so a child still appending from an earlier USR1 finishes its line
/// first. .NET's own file API cannot be used: on Linux it takes a non-blocking flock of its own and
/// fails while a child holds the lock.
/// </remarks>
public static class StatusReport
{
    private const int LOCK_EX = 2;

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    /// <summary><c>LONC status &lt;localtime&gt; - parent &lt;pid&gt;</c> and a newline.</summary>
    public static string Header(string localtime, int parentPid) =>
        string.Create(CultureInfo.InvariantCulture, $"LONC status {localtime} - parent {parentPid}\n");

    /// <summary>Truncates <paramref name="path"/> to the header (creating lon-status/ if needed); IOException on failure.</summary>
    public static void Start(string path, string localtime, int parentPid)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);

        var fd = Syscall.open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_APPEND | OpenFlags.O_CLOEXEC,
            FilePermissions.S_IRUSR | FilePermissions.S_IWUSR | FilePermissions.S_IRGRP | FilePermissions.S_IROTH);
        if (fd < 0)
            throw Failure("open", path);
        try
        {
            if (flock(fd, LOCK_EX) != 0 || Syscall.ftruncate(fd, 0) != 0)
                throw Failure("lock/truncate", path);
            var bytes = Encoding.UTF8.GetBytes(Header(localtime, parentPid));
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

    private static IOException Failure(string what, string path) =>
        new($"{what} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
