namespace LegacyLonc.Testbed;

internal static class LogWriterCommand
{
    public static int Run(string[] args) => throw new NotImplementedException();
}
