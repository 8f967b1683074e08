using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Posix;

/// <summary>posix_spawn passing descriptors on as 3, 4, … (the parent's report pipe, a child's configuration), and nothing else above stdio.</summary>
public sealed class ProcessSpawnDescriptorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-spawnfd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Spawns <c>sh -c</c> with <paramref name="script"/> and <paramref name="passFds"/>; returns the descriptors it had open.</summary>
    private string SpawnListingDescriptors(string script, params int[] passFds)
    {
        var listing = Path.Combine(_dir, "fds");
        var pid = ProcessSpawn.Start(new[] { "/bin/sh", "-c", $"ls /proc/self/fd | sort -n | tr '\\n' ' ' > {listing}; {script}" },
            false, passFds);
        Assert.Equal(pid, Syscall.waitpid(pid, out var raw, 0));
        Assert.Equal("exit status 0", new WaitStatus(raw).ToString());
        return File.ReadAllText(listing);
    }

    [Fact]
    public void The_passed_descriptor_arrives_as_3_and_the_child_can_write_to_it()
    {
        // The parent's own report pipe: both ends close-on-exec, the write end moved above 3.
        using var pipe = new ReportPipe();

        var open = SpawnListingDescriptors("printf 'hello\\n' >&3", pipe.WriteEnd);

        // 0-2, the passed 3, and the descriptor ls itself opens for /proc/self/fd.
        Assert.Equal("0 1 2 3 4 ", open);
        // The child has exited: what it wrote is in the pipe, and the non-blocking read takes it.
        var buffer = new byte[16];
        Assert.Equal("hello\n", System.Text.Encoding.ASCII.GetString(buffer, 0, pipe.Read(buffer)));
    }

    [Fact]
    public void Two_descriptors_arrive_as_3_and_4_and_a_payload_pipe_reads_to_its_end()
    {
        using var reports = new ReportPipe();
        using var payload = new PayloadPipe("{\"settings\":{}}\n"u8);

        var open = SpawnListingDescriptors("cat <&4 >&3", reports.WriteEnd, payload.ReadEnd);

        Assert.Equal("0 1 2 3 4 5 ", open);
        var buffer = new byte[64];
        Assert.Equal("{\"settings\":{}}\n", System.Text.Encoding.ASCII.GetString(buffer, 0, reports.Read(buffer)));
    }

    [Fact]
    public void A_payload_larger_than_the_pipe_fails_at_once()
    {
        Assert.Throws<SystemCallException>(() => new PayloadPipe(new byte[1 << 20]));
    }

    [Fact]
    public void Descriptor_3_itself_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessSpawn.Start(new[] { "/bin/true" }, false, 3));
        // Nor a descriptor that an earlier one would be placed over.
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessSpawn.Start(new[] { "/bin/true" }, false, 10, 3));
    }
}
