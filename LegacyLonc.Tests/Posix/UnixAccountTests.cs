using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

/// <summary>Permission decisions as the kernel makes them (owner, then group, then others; root passes).</summary>
public class UnixAccountTests
{
    private static readonly UnixAccount Www = new("www", 33, new uint[] { 33, 100 });
    private const int Rw = UnixAccount.Read | UnixAccount.Write;
    private const int Wx = UnixAccount.Write | UnixAccount.Search;

    [Theory]
    // The owner gets the owner bits only, even when group or others would get more.
    [InlineData(33u, 0u, 0x1ED, Wx, true)]      // 0755, owner
    [InlineData(33u, 0u, 0x16D, Wx, false)]     // 0555, owner may not write
    [InlineData(33u, 33u, 0x17F, Wx, false)]    // 0577: owner r-x although group and others rwx
    // A member of the file's group (primary or supplementary) gets the group bits.
    [InlineData(0u, 100u, 0x1FD, Wx, true)]     // 0775, supplementary group
    [InlineData(0u, 33u, 0x1ED, Wx, false)]     // 0755, primary group has r-x
    [InlineData(0u, 33u, 0x1C7, Rw, false)]     // 0707: group ---, the others' bits do not apply
    // Everyone else gets the others' bits.
    [InlineData(0u, 0u, 0x1FF, Wx, true)]       // 0777
    [InlineData(0u, 0u, 0x1F8, UnixAccount.Search, false)] // 0770
    [InlineData(0u, 0u, 0x1A4, UnixAccount.Read, true)]    // 0644
    [InlineData(0u, 0u, 0x180, UnixAccount.Read, false)]   // 0600
    public void Owner_group_and_others_are_exclusive_triplets(uint owner, uint group, int mode, int want, bool expected)
    {
        var stat = new FileNode(FileKind.Directory, owner, group, 2, (uint)mode, 4096);

        Assert.Equal(expected, Www.Permits(stat, want));
    }

    [Fact]
    public void Root_passes_every_check()
    {
        var root = new UnixAccount("root", 0, new uint[] { 0 });

        Assert.True(root.Permits(new FileNode(FileKind.Directory, 33, 33, 2, 0, 4096), Wx | UnixAccount.Read));
    }

    [Fact]
    public void The_running_account_is_found_with_its_uid_and_groups_and_a_stranger_is_not()
    {
        var me = UnixAccount.Find(Environment.UserName);

        Assert.NotNull(me);
        Assert.Equal(Mono.Unix.Native.Syscall.getuid(), me.Uid);
        Assert.Contains(Mono.Unix.Native.Syscall.getgid(), me.Groups);
        Assert.Equal(Environment.UserName, UnixAccount.NameOf(me.Uid));
        Assert.Null(UnixAccount.Find("no-such-lonc-user"));
    }

    [Fact]
    public void Stat_reports_type_owner_and_mode_and_the_errno_of_a_missing_path()
    {
        var dir = Directory.CreateTempSubdirectory("ll-stat-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1E8);  // 0750

            var stat = FileNode.OfPath(dir, out _);

            Assert.NotNull(stat);
            Assert.True(stat.Value.IsDirectory);
            Assert.Equal("0750", stat.Value.Octal);
            Assert.Equal(Mono.Unix.Native.Syscall.getuid(), stat.Value.Owner);
            Assert.Null(FileNode.OfPath(Path.Combine(dir, "missing"), out var error));
            Assert.Equal(Errno.ENOENT, error);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
