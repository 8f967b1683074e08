namespace LegacyLonc.Cli;

/// <summary><c>lonc --help</c> and <c>lonc --version</c> texts.</summary>
public static class Usage
{
    public static string HelpText => throw new NotImplementedException();
    public static string VersionText => throw new NotImplementedException();
}
