using System.Runtime.CompilerServices;

namespace LegacyLonc.Tests.Support;

/// <summary>
/// The environment every process the tests start inherits, set once when the test assembly loads. The suite must
/// leave nothing in <c>$TMPDIR</c>: a JIT-compiled .NET process (lonc-testbed, a JIT lonc) opens
/// <c>clr-debug-pipe-*</c> and <c>dotnet-diagnostic-*</c> there and removes them only at a normal exit, and the tests
/// end their processes with SIGKILL.
/// </summary>
internal static class TestProcessEnvironment
{
    /// <summary>
    /// Names a directory for everything the tests put in <c>$TMPDIR</c> (scripts/test sets it and reports what is left
    /// in it afterwards); unset, the tests use <c>$TMPDIR</c> as it is.
    /// </summary>
    public const string TemporaryDirectoryVariable = "LONC_TEST_TMPDIR";

    /// <summary>The runtime setting that keeps a JIT process from creating its diagnostics files.</summary>
    public const string NoDiagnostics = "DOTNET_EnableDiagnostics";

#pragma warning disable CA2255 // A test assembly's own start-up, not a library's.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        Environment.SetEnvironmentVariable(NoDiagnostics, "0");
        if (Environment.GetEnvironmentVariable(TemporaryDirectoryVariable) is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            Environment.SetEnvironmentVariable("TMPDIR", dir);
        }
    }
}
