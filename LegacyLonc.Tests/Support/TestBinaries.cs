namespace LegacyLonc.Tests.Support;

/// <summary>The apphosts of lonc and lonc-testbed, copied next to the test assembly by the project references.</summary>
public static class TestBinaries
{
    public static string Lonc => Existing(Path.Combine(AppContext.BaseDirectory, "lonc"));
    public static string Testbed => Existing(Path.Combine(AppContext.BaseDirectory, "lonc-testbed"));

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"test binary missing (build the solution first): {path}");
}
