namespace LegacyLonc.Testbed;

internal static class LondEmulatorCommand
{
    public static int Run(string[] args) => throw new NotImplementedException();
}
