namespace LegacyLonc.Tests.Support;

/// <summary>
/// A fact that needs root: it hands files or processes to another account (<c>nobody</c>). Skipped, saying why,
/// otherwise (scripts/test runs as root).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenRootAttribute : FactAttribute
{
    public FactWhenRootAttribute()
    {
        if (Environment.UserName != "root")
            Skip = "needs root: it gives files or processes to the account nobody";
    }
}
