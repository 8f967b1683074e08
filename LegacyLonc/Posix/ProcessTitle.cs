using System.Text;

namespace LegacyLonc.Posix;

/// <summary>
/// Perl's <c>$0 = "lonc: ..."</c>: what <c>ps</c> shows for a lonc process. Sets the kernel's
/// 15-byte thread name (prctl PR_SET_NAME: <c>ps -o comm</c>, <c>top</c>) and overwrites the original
/// argv area in place (<c>ps -o args</c>, <c>/proc/&lt;pid&gt;/cmdline</c>).
/// </summary>
/// <remarks>
/// The argv area cannot grow (PR_SET_MM needs CAP_SYS_RESOURCE), so a title is cut to the length of the
/// command line the process was started with. The parent therefore starts every image of itself with a
/// <see cref="RoomArgument"/> of blank padding. .NET copied the arguments at start-up, so overwriting
/// the area changes nothing the program reads.
/// </remarks>
public static class ProcessTitle
{
    private const int PR_SET_NAME = 15;
    private const int ThreadNameBytes = 15;
    /// <summary>Bytes of padding <see cref="RoomArgument"/> reserves; room for the longest status line.</summary>
    public const int RoomBytes = 120;

    private static readonly object Gate = new();
    private static (IntPtr Start, int Capacity)? _area;
    private static bool _areaKnown;
    private static readonly byte[] _threadName = new byte[ThreadNameBytes + 1];
    private static int _threadNameLength = -1;
    private static long _threadNameSetAt;

    /// <summary>Prefix of <see cref="RoomArgument"/>; the command line ignores any argument that starts with it.</summary>
    public const string RoomPrefix = "--title-room=";

    /// <summary>The argument that reserves title room in a spawned image (LoncOptions ignores it).</summary>
    public static string RoomArgument { get; } = RoomPrefix + new string(' ', RoomBytes);

    /// <summary>
    /// Least time between two renewals of the 15-byte thread name (zero: every change). The argv title is
    /// always current; only <c>ps -o comm</c>/<c>top</c> may lag by this much.
    /// </summary>
    public static TimeSpan ThreadNameInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Shows <paramref name="title"/> in ps; never throws (a title is cosmetic).</summary>
    public static void Set(string title) => Set(title.AsSpan());

    /// <summary>
    /// Shows <paramref name="title"/> in ps without allocating: the child sets its title after every
    /// request, as 1.53's status() did. The thread name (a syscall) is only renewed when its 15 bytes change.
    /// </summary>
    public static void Set(ReadOnlySpan<char> title)
    {
        Span<byte> bytes = stackalloc byte[Math.Min(Encoding.UTF8.GetMaxByteCount(title.Length), 1024)];
        var n = Encoding.UTF8.GetBytes(title.Length > 340 ? title[..340] : title, bytes);
        bytes = bytes[..n];
        bytes.Replace((byte)0, (byte)' ');
        lock (Gate)
        {
            try
            {
                SetThreadName(bytes);
                OverwriteArgv(bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }
        }
    }

    /// <summary>How many title bytes fit in this process's argv area (0 when it is unknown).</summary>
    public static int Capacity
    {
        get
        {
            lock (Gate)
                return Area() is { } a ? a.Capacity - 1 : 0;
        }
    }

    /// <summary>
    /// arg_start and arg_end from a <c>/proc/&lt;pid&gt;/stat</c> line (fields 48 and 49), or null.
    /// The command name (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.
    /// </summary>
    public static (long Start, long End)? ParseArgvArea(string statLine)
    {
        var close = statLine.LastIndexOf(')');
        if (close < 0)
            return null;
        var fields = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.Length < 47
            || !long.TryParse(fields[45], out var start)
            || !long.TryParse(fields[46], out var end)
            || start <= 0 || end <= start)
            return null;
        return (start, end);
    }

    private static void SetThreadName(ReadOnlySpan<byte> title)
    {
        var len = Math.Min(title.Length, ThreadNameBytes);
        if (len == _threadNameLength && title[..len].SequenceEqual(_threadName.AsSpan(0, len)))
            return;
        // The 15-byte name is what top shows; the full title lives in argv. A busy child's status changes
        // three times per lonnet request, so it may ask for the name (a syscall) to be renewed less often.
        var now = Environment.TickCount64;
        if (_threadNameLength >= 0 && now - _threadNameSetAt < ThreadNameInterval.TotalMilliseconds)
            return;
        _threadNameSetAt = now;
        Array.Clear(_threadName);
        title[..len].CopyTo(_threadName);
        _threadNameLength = len;
        if (Libc.GetThreadId() == Environment.ProcessId)
        {
            unsafe
            {
                fixed (byte* p = _threadName)
                    Libc.Prctl(PR_SET_NAME, (nuint)p, 0, 0, 0);
            }
        }
        else
        {
            // PR_SET_NAME names only the calling thread; ps shows the main thread's name, which a
            // thread of the same process may set through /proc/self/comm.
            File.WriteAllBytes("/proc/self/comm", _threadName.AsSpan(0, len).ToArray());
        }
    }

    private static unsafe void OverwriteArgv(ReadOnlySpan<byte> title)
    {
        if (Area() is not { } area)
            return;
        var target = new Span<byte>((void*)area.Start, area.Capacity);
        // Keep the last byte NUL: the kernel then reports exactly this area as the command line.
        var n = Math.Min(title.Length, area.Capacity - 1);
        title[..n].CopyTo(target);
        target[n..].Clear();
    }

    private static (IntPtr Start, int Capacity)? Area()
    {
        if (!_areaKnown)
        {
            _areaKnown = true;
            if (ParseArgvArea(File.ReadAllText("/proc/self/stat")) is { } a && a.End - a.Start < int.MaxValue)
                _area = ((IntPtr)a.Start, (int)(a.End - a.Start));
        }
        return _area;
    }
}
