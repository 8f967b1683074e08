using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace LegacyLonc.Posix;

/// <summary>
/// How to run this program again: the executable itself (the native lonc, or a JIT build's apphost), or the
/// <c>dotnet</c> muxer followed by the entry assembly when lonc was started as <c>dotnet lonc.dll</c>. The parent
/// uses it for the children, the detached daemon and the HUP restart.
/// </summary>
/// <remarks>
/// <see cref="Environment.ProcessPath"/> is <c>/proc/self/exe</c> resolved: for the native lonc the binary itself,
/// wherever it was installed; the end-to-end tests run the native publish through all three paths.
/// </remarks>
public sealed record SelfImage(string Program, IReadOnlyList<string> Prefix)
{
    /// <summary>This process's own image.</summary>
    public static SelfImage Current { get; } = Locate(
        Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running executable is unknown"),
        EntryAssemblyPath());

    /// <summary>The entry assembly's file; empty in a single-file or native publish, where it is not needed.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "Only consulted when the process is the dotnet muxer, which runs lonc.dll from a file, never a bundle.")]
    private static string? EntryAssemblyPath() => Assembly.GetEntryAssembly()?.Location;

    /// <summary>Builds the image from the running executable and the entry assembly (pure; for tests).</summary>
    public static SelfImage Locate(string processPath, string? entryAssembly)
    {
        var name = Path.GetFileNameWithoutExtension(processPath);
        if (name == "dotnet" && !string.IsNullOrEmpty(entryAssembly))
            return new SelfImage(processPath, new[] { entryAssembly });
        return new SelfImage(processPath, Array.Empty<string>());
    }

    /// <summary>The full argv (program first) that runs this image with <paramref name="args"/>.</summary>
    public IReadOnlyList<string> Argv(IEnumerable<string> args)
    {
        var argv = new List<string> { Program };
        argv.AddRange(Prefix);
        argv.AddRange(args);
        return argv;
    }
}
