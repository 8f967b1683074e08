namespace LegacyLonc.Tests.Support;

/// <summary>
/// The lonc and lonc-testbed the tests run. lonc is the published native executable when <see cref="LoncVariable"/>
/// names one (scripts/test publishes it and sets the variable), otherwise the JIT build the project reference copies
/// next to the test assembly, so <c>dotnet test</c> alone still works.
/// </summary>
public static class TestBinaries
{
    /// <summary>Environment variable naming the lonc executable to test instead of the build output.</summary>
    public const string LoncVariable = "LONC_TEST_LONC";

    public static string Lonc => Existing(Environment.GetEnvironmentVariable(LoncVariable) is { Length: > 0 } published
        ? Path.GetFullPath(published)
        : Path.Combine(AppContext.BaseDirectory, "lonc"));

    public static string Testbed => Existing(Path.Combine(AppContext.BaseDirectory, "lonc-testbed"));

    /// <summary>
    /// The published native lonc when the tests run against one (no lonc.dll beside it: nothing for a .NET host
    /// to load), else null.
    /// </summary>
    public static string? NativeLonc =>
        Environment.GetEnvironmentVariable(LoncVariable) is { Length: > 0 } && !File.Exists(Path.Combine(Path.GetDirectoryName(Lonc)!, "lonc.dll"))
            ? Lonc
            : null;

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"test binary missing (build the solution first; {LoncVariable} must name an existing file): {path}");
}
