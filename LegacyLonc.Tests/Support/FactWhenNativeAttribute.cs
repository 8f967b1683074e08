namespace LegacyLonc.Tests.Support;

/// <summary>
/// A fact about the published native lonc: skipped, saying why, when the tests run against the JIT build
/// (<c>dotnet test</c> alone; scripts/test publishes the native one and names it in <see cref="TestBinaries.LoncVariable"/>);
/// with <c>asRoot</c> also when not run as root (it needs a mount namespace of its own).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenNativeAttribute : FactAttribute
{
    public FactWhenNativeAttribute(bool asRoot = false)
    {
        if (TestBinaries.NativeLonc is null)
            Skip = $"runs against the published native lonc only: scripts/test publishes it and sets {TestBinaries.LoncVariable}";
        else if (asRoot && (Environment.UserName != "root" || !File.Exists("/usr/bin/unshare")))
            Skip = "needs root and /usr/bin/unshare (util-linux) for a mount namespace that hides the .NET installation";
    }
}
