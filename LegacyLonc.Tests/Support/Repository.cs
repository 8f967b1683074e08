namespace LegacyLonc.Tests.Support;

/// <summary>Files of the repository the tests run from (scripts, etc/), found by walking up to the solution file.</summary>
public static class Repository
{
    /// <summary>The directory holding LegacyLonc.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below <see cref="Root"/>.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LegacyLonc.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("repository root (LegacyLonc.sln) not found above " + AppContext.BaseDirectory);
    }
}
