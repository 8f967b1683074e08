using LegacyLonc.Cli;

namespace LegacyLonc.Parent;

/// <summary>The lonc parent: start-up checks, one child per host, waitpid reaping, restarts, signals.</summary>
public static class Supervisor
{
    public static int Run(LoncOptions options) => throw new NotImplementedException();
}
