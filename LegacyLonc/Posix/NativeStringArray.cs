using System.Runtime.InteropServices;

namespace LegacyLonc.Posix;

/// <summary>
/// A NULL-terminated <c>char*[]</c> of UTF-8 strings in unmanaged memory, the shape execve(2) and
/// posix_spawn(3) take for argv and envp. Built completely before the call, so nothing managed runs
/// between the process split and the new image.
/// </summary>
public sealed class NativeStringArray : IDisposable
{
    private readonly IntPtr[] _strings;

    public NativeStringArray(IReadOnlyList<string> items)
    {
        _strings = new IntPtr[items.Count];
        Pointer = Marshal.AllocHGlobal((items.Count + 1) * IntPtr.Size);
        for (var i = 0; i < items.Count; i++)
        {
            _strings[i] = Marshal.StringToCoTaskMemUTF8(items[i]);
            Marshal.WriteIntPtr(Pointer, i * IntPtr.Size, _strings[i]);
        }
        Marshal.WriteIntPtr(Pointer, items.Count * IntPtr.Size, IntPtr.Zero);
    }

    /// <summary>The <c>char**</c>; valid until <see cref="Dispose"/>.</summary>
    public IntPtr Pointer { get; private set; }

    /// <summary>The current environment as <c>NAME=value</c> strings (what a spawned image inherits).</summary>
    public static NativeStringArray FromEnvironment()
    {
        var entries = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            entries.Add($"{e.Key}={e.Value}");
        return new NativeStringArray(entries);
    }

    public void Dispose()
    {
        if (Pointer == IntPtr.Zero)
            return;
        foreach (var s in _strings)
            Marshal.FreeCoTaskMem(s);
        Marshal.FreeHGlobal(Pointer);
        Pointer = IntPtr.Zero;
    }
}
