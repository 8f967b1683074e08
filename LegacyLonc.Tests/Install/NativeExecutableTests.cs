using System.Runtime.InteropServices;
using LegacyLonc.Tests.Parent;
using LegacyLonc.Tests.Support;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Install;

/// <summary>
/// The published lonc is one native executable (and Mono.Posix's helper beside it): it runs where no .NET is
/// installed, loads no .NET host or runtime, and says what is missing when it was copied without its helper.
/// </summary>
public sealed class NativeExecutableTests
{
    private static readonly string[] RuntimeLibraries = { "libhostfxr", "libhostpolicy", "libcoreclr", "libclrjit", "System.Private.CoreLib" };

    /// <summary>Where the .NET that runs these tests is installed (/usr/share/dotnet here).</summary>
    private static string DotnetRoot => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    [FactWhenNative(asRoot: true)]
    public void The_daemon_runs_and_serves_where_no_dotnet_is_installed()
    {
        using var h = new ParentHarness(2);
        var lonc = TestBinaries.NativeLonc!;
        var output = Path.Combine(h.Sandbox.Builder.Root, "start.out");
        // A mount namespace of its own in which a tmpfs hides the .NET installation: the detached daemon and its
        // children live on in it. The start returns 0 only once the daemon has written lonc.pid.
        var script = """
            mount -t tmpfs lonc-test-no-dotnet "$0" || exit 90
            if [ -n "$(ls -A "$0")" ] || dotnet --info >/dev/null 2>&1; then echo ".NET is still there" >&2; exit 91; fi
            exec "$1" --conf-dir "$2" --user "$3" >"$4" 2>&1
            """;
        var (exit, _, errors) = ExternalProgram.Run("/usr/bin/unshare",
            new[] { "--mount", "--propagation", "private", "/bin/sh", "-c", script, DotnetRoot, lonc, h.Sandbox.ConfDir, Environment.UserName, output });
        Assert.True(exit == 0, $"exit {exit}: {errors}{(File.Exists(output) ? File.ReadAllText(output) : "")}\n{h.Log}");

        var daemon = new LegacyLonc.Status.PidFile(h.Sandbox.Builder.PidFile).LivePid()!.Value;
        try
        {
            h.WaitServing(h.Hosts);
            var processes = ProcessTree.ChildrenOf(daemon).Append(daemon).ToList();
            Assert.Equal(3, processes.Count);
            foreach (var pid in processes)
            {
                Assert.NotEqual(Link("/proc/self/ns/mnt"), Link($"/proc/{pid}/ns/mnt"));
                Assert.Empty(Directory.EnumerateFileSystemEntries($"/proc/{pid}/root{DotnetRoot}"));
                var maps = File.ReadAllText($"/proc/{pid}/maps");
                Assert.All(RuntimeLibraries, library => Assert.DoesNotContain(library, maps));
            }

            Assert.Equal(0, Syscall.kill(daemon, Signum.SIGTERM));
            Eventually.Assert(() => !File.Exists(h.Sandbox.Builder.PidFile), ParentHarness.Patience, "the daemon stops", h.Detail);
            Eventually.Assert(() => processes.All(p => !ProcessTree.IsRunning(p)), ParentHarness.Patience, "every process ended", h.Detail);
        }
        finally
        {
            foreach (var pid in ProcessTree.ChildrenOf(daemon).Append(daemon))
                Syscall.kill(pid, Signum.SIGKILL);
        }
    }

    [FactWhenNative]
    public void The_executable_needs_only_the_C_library()
    {
        var lonc = TestBinaries.NativeLonc!;
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(lonc)[..4]);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(lonc)!, "lonc.dll")), "no managed assembly beside it");

        var (exit, output, errors) = ExternalProgram.Run("/usr/bin/ldd", new[] { lonc });

        Assert.True(exit == 0, errors);
        var needed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.All(needed, library => Assert.Matches(@"^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|ld-linux-\S+|lib(c|m|dl|pthread|rt|gcc_s)\.so\.\d+)$", library));
        Assert.All(RuntimeLibraries, library => Assert.DoesNotContain(library, output));
    }

    [FactWhenNative]
    public void A_copy_without_its_native_helper_says_what_is_missing()
    {
        using var sandbox = new TestSandbox(1);
        var dir = Path.Combine(sandbox.Builder.Root, "alone");
        Directory.CreateDirectory(dir);
        var lonc = Path.Combine(dir, "lonc");
        File.Copy(TestBinaries.NativeLonc!, lonc);

        var (versionExit, version, _) = ExternalProgram.Run(lonc, new[] { "--version" });
        var (exit, _, errors) = ExternalProgram.Run(lonc, new[] { "--check-config", "--conf-dir", sandbox.ConfDir, "--user", Environment.UserName });

        Assert.Equal(0, versionExit);
        Assert.StartsWith("lonc ", version);
        Assert.Equal(1, exit);
        Assert.Equal($"lonc: cannot look up accounts: libMonoPosixHelper.so (Mono.Posix's native helper) is missing beside {lonc}; " +
                     "install it with lonc (scripts/install does)\n", errors);
    }

    private static string Link(string path) => new FileInfo(path).LinkTarget ?? "";
}
