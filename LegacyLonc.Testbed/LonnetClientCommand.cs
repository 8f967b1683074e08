namespace LegacyLonc.Testbed;

internal static class LonnetClientCommand
{
    public static int Run(string[] args) => throw new NotImplementedException();
}
