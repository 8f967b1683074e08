using LegacyLonc.Cli;

namespace LegacyLonc.Child;

/// <summary>One child process: serves one remote host (lonc 1.53's code after the fork in make_new_child).</summary>
public static class HostChild
{
    public static int Run(LoncOptions options) => throw new NotImplementedException();
}
