using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// lonc leaves nothing in <c>$TMPDIR</c>. A JIT-compiled .NET process opened <c>clr-debug-pipe-*</c> and
/// <c>dotnet-diagnostic-*</c> there, and a child killed with <c>kill -9</c> left them for good (a test run left 160).
/// </summary>
public sealed class TemporaryFilesTests
{
    [Fact]
    public void After_requests_a_killed_child_and_TERM_the_temporary_directory_is_empty()
    {
        using var h = new ParentHarness(2);
        var tmp = Path.Combine(h.Sandbox.Builder.Root, "tmp");
        Directory.CreateDirectory(tmp);
        // Without the tests' own setting against diagnostics files: lonc must keep its children clean by itself.
        h.StartVia("/usr/bin/env", "-u", TestProcessEnvironment.NoDiagnostics, $"TMPDIR={tmp}");
        h.WaitServing(h.Hosts);

        for (var i = 0; i < 100; i++)
        {
            var host = h.Hosts[i % 2];
            Assert.Equal(host, UnixClient.Request(h.Sandbox.SocketPath(host), "ping"));
        }
        var victim = h.ChildFor("h1")!.Value;
        Assert.Equal(0, Syscall.kill(victim, Signum.SIGKILL));
        Eventually.Assert(() => h.ChildFor("h1") is { } c && c != victim && h.Serves("h1"), ParentHarness.Patience,
            "h1 served by a new child", h.Detail);
        h.Signal(Signum.SIGTERM);

        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), h.Detail());
        Assert.Equal(0, h.Parent.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp).Select(Path.GetFileName));
    }
}
