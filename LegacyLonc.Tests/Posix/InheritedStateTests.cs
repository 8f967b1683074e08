using LegacyLonc.Tests.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Posix;

/// <summary>
/// What a launcher leaves behind — signals inherited as ignored (nohup, a background shell), a umask of 000 —
/// changes nothing: lonc resets both at start, in the parent and in every child.
/// </summary>
public class InheritedStateTests
{
    /// <summary>A shell that ignores the signals lonc handles and then execs the rest of its arguments.</summary>
    private static readonly string[] IgnoringEverySignal =
        { "/bin/sh", "-c", "trap '' HUP INT QUIT TERM USR1 USR2; exec \"$0\" \"$@\"" };

    [Fact]
    public void A_parent_started_under_nohup_still_restarts_on_HUP()
    {
        using var h = new ParentHarness(1);
        h.StartVia("nohup");
        h.WaitServing(h.Hosts);

        h.Signal(Signum.SIGHUP);

        h.WaitLog("<font color=red>CRITICAL: Restarting</font>");
        h.WaitLog("---------- Starting ----------", 2);
        h.WaitServing(h.Hosts);
        Assert.False(h.Parent!.HasExited);
    }

    [Fact]
    public void A_parent_that_inherited_ignored_signals_still_reports_on_USR1_and_stops_on_TERM()
    {
        using var h = new ParentHarness(1);
        h.StartVia(IgnoringEverySignal);
        h.WaitServing(h.Hosts);

        h.Signal(Signum.SIGUSR1);
        h.WaitLog("USR1: Trying to establish connections again");
        Eventually.Assert(() => ParentHarness.ReadLines(h.Sandbox.Builder.StatusFile).FirstOrDefault()?.EndsWith($" - parent {h.Pid}", StringComparison.Ordinal) == true,
            ParentHarness.Patience, "the status header", h.Detail);
        h.Signal(Signum.SIGTERM);

        Assert.True(h.Parent!.WaitForExit(ParentHarness.Patience), "the parent stops on TERM\n" + h.Detail());
        Assert.Equal(0, h.Parent.ExitCode);
        Assert.Contains("CRITICAL: Shutting down", h.Log);
    }

    [Fact]
    public void A_child_that_inherited_ignored_signals_still_reports_on_USR1_and_stops_on_TERM()
    {
        using var sandbox = new TestSandbox(1);
        sandbox.StartLond();
        var socket = sandbox.SocketPath("h1");
        var args = IgnoringEverySignal.Skip(1)
            .Concat(new[] { TestBinaries.Lonc, "--child", "h1", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName })
            .ToArray();
        using var child = sandbox.Own(LoncProcess.Start(IgnoringEverySignal[0], args));
        Eventually.Assert(() => UnixClient.Request(socket, "ping", 2000) == "h1", ParentHarness.Patience,
            "h1 answers through its socket", sandbox.ReadLog);

        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGUSR1));
        Eventually.Assert(() => ParentHarness.ReadLines(sandbox.Builder.StatusFile).Any(l => l.StartsWith($"{child.Pid}\th1\t", StringComparison.Ordinal)),
            ParentHarness.Patience, "the child's status line after USR1", sandbox.ReadLog);

        Assert.Equal(0, Syscall.kill(child.Pid, Signum.SIGTERM));
        Assert.True(child.WaitForExit(ParentHarness.Patience), "the child stops on TERM\n" + sandbox.ReadLog());
        Assert.Equal(0, child.ExitCode);
        Assert.False(File.Exists(socket), "the child removed its socket");
    }

    [Fact]
    public void Under_an_inherited_umask_000_every_file_and_directory_gets_its_own_mode()
    {
        using var h = new ParentHarness(2);
        var statusDir = Path.GetDirectoryName(h.Sandbox.Builder.StatusFile)!;
        Directory.Delete(statusDir);
        h.StartVia("/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\"");
        h.WaitServing(h.Hosts);

        h.Signal(Signum.SIGUSR1);
        Eventually.Assert(() => ParentHarness.ReadLines(h.Sandbox.Builder.StatusFile).Length == 3, ParentHarness.Patience,
            "the status header and a line per child", h.Detail);

        foreach (var pid in h.Children().Prepend(h.Pid))
            Assert.Equal("0022", Umask(pid));
        Assert.Equal("0644", Mode(h.Sandbox.Builder.PidFile));
        Assert.Equal("0644", Mode(h.Sandbox.Builder.LoncLog));
        Assert.Equal("0755", Mode(statusDir));
        Assert.Equal("0644", Mode(h.Sandbox.Builder.StatusFile));
        foreach (var host in h.Hosts)
            Assert.Equal("0755", Mode(h.Sandbox.SocketPath(host)));
    }

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');

    private static string Umask(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal))["Umask:".Length..].Trim();
}
