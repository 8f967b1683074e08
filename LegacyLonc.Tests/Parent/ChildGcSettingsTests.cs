using LegacyLonc.Parent;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

public class ChildGcSettingsTests
{
    [Fact]
    public void Children_of_the_daemon_run_with_the_small_gc_budget()
    {
        using var sandbox = new TestSandbox(1);
        sandbox.StartLond();
        using var parent = sandbox.StartParent();
        var socket = sandbox.SocketPath("h1");
        Eventually.Assert(() => UnixClient.Request(socket, "ping", 2000) == "h1", TimeSpan.FromSeconds(20),
            "h1 serving", () => sandbox.ReadLog() + parent.StdErr);
        var child = Directory.GetDirectories("/proc")
            .Select(d => Path.GetFileName(d))
            .Where(n => int.TryParse(n, out _))
            .FirstOrDefault(pid => File.Exists($"/proc/{pid}/stat") && TryRead($"/proc/{pid}/stat").Contains($") S {parent.Pid} ")
                                   || TryRead($"/proc/{pid}/stat").Contains($") R {parent.Pid} "));
        Assert.NotNull(child);
        var environ = TryRead($"/proc/{child}/environ").Split('\0');
        foreach (var (name, value) in ChildGcSettings.Defaults)
            Assert.Contains($"{name}={value}", environ);
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
