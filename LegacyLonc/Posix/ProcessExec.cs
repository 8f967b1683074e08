using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// Replaces the running image with execve(2), keeping the pid (the HUP restart).
/// </summary>
/// <remarks>
/// Before the call every descriptor above 2 is marked close-on-exec (close_range CLOSE_RANGE_CLOEXEC),
/// so only stdio crosses into the new image whatever a library opened without O_CLOEXEC.
/// The caller decides the signal mask the new image starts with (see <see cref="SignalMask"/>).
/// </remarks>
public static class ProcessExec
{
    private const uint CLOSE_RANGE_CLOEXEC = 1u << 2;

    /// <summary>
    /// Executes <paramref name="argv"/>[0] with <paramref name="argv"/> and the current environment.
    /// Returns only on failure, with an <see cref="IOException"/> naming the program and the error.
    /// </summary>
    public static IOException Replace(IReadOnlyList<string> argv)
    {
        using var args = new NativeStringArray(argv);
        using var env = NativeStringArray.FromEnvironment();
        var path = Marshal.StringToCoTaskMemUTF8(argv[0]);
        try
        {
            // Best effort: an old kernel without close_range still gets a working exec, .NET opens with O_CLOEXEC.
            Libc.CloseRange(3, uint.MaxValue, CLOSE_RANGE_CLOEXEC);
            Libc.Execve(path, args.Pointer, env.Pointer);
            return new SystemCallException("execve", argv[0], Marshal.GetLastPInvokeError());
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }
    }
}
