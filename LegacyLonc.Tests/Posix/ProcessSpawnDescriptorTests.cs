using System.Runtime.InteropServices;
using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Posix;

/// <summary>posix_spawn passing one descriptor on as 3 (the parent's report pipe), and nothing else above stdio.</summary>
public sealed class ProcessSpawnDescriptorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-spawnfd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [DllImport("libc", SetLastError = true)]
    private static extern int pipe2(int[] fds, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int cmd, int arg);

    [DllImport("libc")]
    private static extern int close(int fd);

    [Fact]
    public void The_passed_descriptor_arrives_as_3_and_the_child_can_write_to_it()
    {
        var fds = new int[2];
        Assert.Equal(0, pipe2(fds, 0x80000 /* O_CLOEXEC */));
        var writeEnd = fcntl(fds[1], 1030 /* F_DUPFD_CLOEXEC */, 20);
        close(fds[1]);
        var listing = Path.Combine(_dir, "fds");
        try
        {
            var pid = ProcessSpawn.Start(new[] { "/bin/sh", "-c", $"ls /proc/self/fd | sort -n | tr '\\n' ' ' > {listing}; printf 'hello\\n' >&3" },
                newSession: false, passFd: writeEnd);
            Assert.Equal(pid, Syscall.waitpid(pid, out var raw, 0));
            Assert.Equal("exit status 0", new WaitStatus(raw).ToString());

            // 0-2, the passed 3, and the descriptor ls itself opens for /proc/self/fd.
            Assert.Equal("0 1 2 3 4 ", File.ReadAllText(listing));
            using var reader = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fds[0], ownsHandle: true), FileAccess.Read);
            var buffer = new byte[16];
            Assert.Equal("hello\n", System.Text.Encoding.ASCII.GetString(buffer, 0, reader.Read(buffer)));
        }
        finally
        {
            close(writeEnd);
        }
    }

    [Fact]
    public void Descriptor_3_itself_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessSpawn.Start(new[] { "/bin/true" }, false, passFd: 3));
    }
}
