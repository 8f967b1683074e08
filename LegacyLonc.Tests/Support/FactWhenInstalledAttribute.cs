namespace LegacyLonc.Tests.Support;

/// <summary>
/// A fact that needs an external program: skipped, with the reason and the remedy, when the program is not
/// on PATH (xunit 2 has no skipping from inside a test, so the attribute decides when tests are discovered).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenInstalledAttribute : FactAttribute
{
    public FactWhenInstalledAttribute(string program, string remedy)
    {
        if (Locate(program) is null)
            Skip = $"{program} is not installed: {remedy}";
    }

    /// <summary>The full path of <paramref name="program"/> on PATH (or in /usr/sbin, /usr/bin), else null.</summary>
    public static string? Locate(string program)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" });
        return dirs.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }
}
