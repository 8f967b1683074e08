using LegacyLonc.Testbed;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;
using static LegacyLonc.Tests.Testbed.TestbedNet;

namespace LegacyLonc.Tests.Testbed;

/// <summary><c>lonc-testbed lond</c> as a process: sandbox mode, explicit listeners, signals, bad usage.</summary>
public class LondEmulatorCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Sandbox_mode_serves_every_host_until_sigterm()
    {
        var addresses = Addresses(2);
        var root = Path.Combine(Path.GetTempPath(), "ll-lond-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var sandbox = new SandboxBuilder
            {
                Root = root,
                LondPort = FreePort(),
                Hosts = new[] { new SandboxHost("alpha1", addresses[0]), new SandboxHost("beta_2", addresses[1]) },
            }.Write();
            File.AppendAllText(Path.Combine(sandbox.TabDir, "hosts.tab"), "\n# comment\nremote:dom:access:far.example:192.0.2.7\nbroken line\n");

            using var p = LoncProcess.Start(TestBinaries.Testbed, "lond", "--sandbox", root);
            Eventually.Assert(() => p.StdOut.Contains("lond emulator listening on"), Wait, "listening line", () => p.StdOut + p.StdErr);
            Assert.Contains($"{addresses[0]}:{sandbox.LondPort}=alpha1", p.StdOut);
            Eventually.Assert(() => p.StdErr.Contains("hosts.tab:5: host remote: 192.0.2.7 is not on 127.0.0.0/8")
                && p.StdErr.Contains("hosts.tab:6: expected id:domain:role:hostname:ip"), Wait, "warnings", () => p.StdErr);

            foreach (var (address, id) in new[] { (addresses[0], "alpha1"), (addresses[1], "beta_2") })
            {
                using var c = RawLondClient.Connect(address, sandbox.LondPort);
                c.Open(id, sandbox.LocalHostId);
                Assert.Equal(id, c.Transact("ping"));
                Assert.Equal("sealed", c.Transact(c.Cipher!.EncryptRequest("echo:sealed")));
            }

            Assert.Equal(0, Syscall.kill(p.Pid, Signum.SIGTERM));
            Assert.True(p.WaitForExit(Wait));
            Assert.Equal(0, p.ExitCode);
            Assert.Contains("lond emulator stopped: 2 connections, 2 handshakes, 4 requests", p.StdOut);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Explicit_listen_with_behaviour_stops_on_sigint()
    {
        var address = Addresses(1)[0];
        var port = FreePort();
        using var p = LoncProcess.Start(TestBinaries.Testbed, "lond", "--listen", $"{address}=solo", "--port", port.ToString(),
            "--client-id", "me", "--behaviour", "drop-after-n", "--drop-after", "1", "--buildkey", "ABC123");
        Eventually.Assert(() => p.StdOut.Contains("listening"), Wait, "listening line", () => p.StdOut + p.StdErr);

        using var c = RawLondClient.Connect(address, port);
        c.Open("solo", "me");
        Assert.Equal("ABC123", c.BuildKey);
        Assert.Equal("solo", c.Transact("ping"));
        Assert.Null(c.Transact("ping"));

        // The same address and port cannot be served twice.
        using var twice = LoncProcess.Start(TestBinaries.Testbed, "lond", "--listen", $"{address}=solo", "--port", port.ToString(), "--client-id", "me");
        Assert.True(twice.WaitForExit(Wait));
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("cannot listen", twice.StdErr);

        Assert.Equal(0, Syscall.kill(p.Pid, Signum.SIGINT));
        Assert.True(p.WaitForExit(Wait));
        Assert.Equal(0, p.ExitCode);
    }

    [Theory]
    [InlineData(64, "--listen", "10.0.0.1=h1", "--client-id", "c")]
    [InlineData(64, "--listen", "127.0.0.1", "--client-id", "c")]
    [InlineData(64, "--listen", "127.0.0.1=h1")]
    [InlineData(64, "--client-id", "c")]
    [InlineData(64, "--listen", "127.0.0.1=h1", "--client-id", "c", "--behaviour", "sleepy")]
    [InlineData(64, "--port", "x")]
    [InlineData(1, "--sandbox", "/nonexistent/ll-sandbox")]
    public void Bad_usage_is_refused(int code, params string[] args)
    {
        using var p = LoncProcess.Start(TestBinaries.Testbed, new[] { "lond" }.Concat(args).ToArray());
        Assert.True(p.WaitForExit(Wait));
        Assert.Equal(code, p.ExitCode);
        Assert.StartsWith("lonc-testbed lond: ", p.StdErr);
        Assert.DoesNotContain("listening", p.StdOut);
    }

    [Fact]
    public void Help_describes_the_options()
    {
        using var p = LoncProcess.Start(TestBinaries.Testbed, "lond", "--help");
        Assert.True(p.WaitForExit(Wait));
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("--sandbox DIR", p.StdOut);
        Assert.Contains("hang-init", p.StdOut);
        Assert.Contains("close-idle", p.StdOut);
    }

    [Fact]
    public void Fault_behaviours_are_reachable_from_the_command_line()
    {
        var address = Addresses(1)[0];
        var port = FreePort();
        using var p = LoncProcess.Start(TestBinaries.Testbed, "lond", "--listen", $"{address}=solo", "--port", port.ToString(),
            "--client-id", "me", "--behaviour", "double-reply");
        Eventually.Assert(() => p.StdOut.Contains("behaviour DoubleReply"), Wait, "listening line", () => p.StdOut + p.StdErr);
        using var c = RawLondClient.Connect(address, port);
        c.Open("solo", "me");
        Assert.Equal("x", c.Transact("echo:x"));
        Assert.Equal("extra-x", c.ReadLine());
    }
}
