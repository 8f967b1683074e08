using System.Runtime.InteropServices;
using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Posix;

/// <summary>posix_spawn with real /bin/sh children; each reaped by its own pid (never waitpid(-1) in the test host).</summary>
public sealed class ProcessSpawnTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-spawn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static WaitStatus Reap(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var r = Syscall.waitpid(pid, out var raw, WaitOptions.WNOHANG);
            if (r == pid)
                return new WaitStatus(raw);
            Assert.True(r == 0, $"waitpid: errno {Marshal.GetLastPInvokeError()}");
            Thread.Sleep(10);
        }
        Syscall.kill(pid, Signum.SIGKILL);
        Syscall.waitpid(pid, out _, 0);
        throw new Xunit.Sdk.XunitException($"child {pid} did not end");
    }

    private string Sh(string script, bool newSession = false) =>
        Reap(ProcessSpawn.Start(new[] { "/bin/sh", "-c", script }, newSession)).ToString();

    [Fact]
    public void Exit_status_and_killing_signal_come_back_through_waitpid()
    {
        Assert.Equal("exit status 3", Sh("exit 3"));
        Assert.Equal("signal 9 (SIGKILL)", Sh("kill -9 $$"));
    }

    [Fact]
    public void Arguments_and_environment_arrive_unchanged()
    {
        var output = Path.Combine(_dir, "args");
        var pid = ProcessSpawn.Start(new[] { "/bin/sh", "-c", "printf '%s|%s|%s' \"$1\" \"$2\" \"$HOME\" > \"$0\"", output, "a b", "ü" }, false);
        Assert.Equal("exit status 0", Reap(pid).ToString());
        Assert.Equal($"a b|ü|{Environment.GetEnvironmentVariable("HOME")}", File.ReadAllText(output));
    }

    [Fact]
    public void A_child_starts_with_a_clean_mask_its_own_session_on_request_and_only_stdio()
    {
        var output = Path.Combine(_dir, "state");
        // Spawned from a thread that blocks signals, as the parent does right before a HUP restart.
        var t = new Thread(() =>
        {
            SignalMask.Block(1, 10, 15);
            Sh($"grep -E '^(SigBlk|SigIgn)' /proc/self/status > {output}; ls /proc/self/fd | tr '\\n' ' ' >> {output}; echo >> {output}; " +
               $"cut -d' ' -f6 /proc/self/stat >> {output}; echo $$ >> {output}", newSession: true);
            SignalMask.Clear();
        });
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(20)));

        var lines = File.ReadAllLines(output);
        // Signals 1..31; glibc's spawn helper itself ignores its internal signals 32 and 33.
        static ulong Classic(string line) => Convert.ToUInt64(line.Split('\t')[1], 16) & 0x7fffffffUL;
        Assert.Equal(0UL, Classic(lines[0]));
        Assert.Equal(0UL, Classic(lines[1]));
        // At most 0, 1, 2 and the descriptor ls itself uses to read /proc/self/fd.
        Assert.All(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries), fd => Assert.InRange(int.Parse(fd), 0, 3));
        Assert.Equal(lines[4].Trim(), lines[3].Trim());
    }

    [Fact]
    public void A_missing_program_is_an_IOException_naming_it()
    {
        var e = Assert.Throws<SystemCallException>(() => ProcessSpawn.Start(new[] { "/nonexistent/lonc", "--child", "x" }, false));
        Assert.Equal("posix_spawn /nonexistent/lonc: no such file or directory", e.Message);
    }
}
