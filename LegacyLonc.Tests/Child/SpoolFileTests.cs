using System.Text;
using LegacyLonc.Child;
using LegacyLonc.Posix;
using Mono.Unix.Native;

namespace LegacyLonc.Tests.Child;

/// <summary>
/// Reading one delayed file: only a regular file of lonc's user with one link is read, whatever else a local user
/// may plant (real files, links and FIFOs; the suite runs as root, so a file can be given to <c>nobody</c>).
/// </summary>
public sealed class SpoolFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lonc-spoolfile-").FullName;
    private static readonly uint Me = UnixAccount.EffectiveUid;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, Encoding.Latin1);
        return path;
    }

    [Fact]
    public void A_regular_file_of_lonc_s_user_gives_its_first_line()
    {
        var read = SpoolFile.Read(Write("m", "encrypt:put:x\r\nsecond\n"), Me);
        Assert.Equal(new SpoolFile.Content(SpoolFile.Status.Ready, "encrypt:put:x"), read);
    }

    [Fact]
    public void A_symbolic_link_is_not_followed()
    {
        var secret = Write("secret", "echo:the-secret\n");
        var link = Path.Combine(_dir, "m");
        File.CreateSymbolicLink(link, secret);
        var read = SpoolFile.Read(link, Me);
        Assert.Equal(SpoolFile.Status.Untrusted, read.Status);
        Assert.Equal("is a symbolic link", read.Text);
        Assert.DoesNotContain("the-secret", read.Text);
    }

    [Fact]
    public void A_link_to_dev_zero_is_not_followed()
    {
        var link = Path.Combine(_dir, "m");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.Equal(new SpoolFile.Content(SpoolFile.Status.Untrusted, "is a symbolic link"), SpoolFile.Read(link, Me));
    }

    [Fact]
    public async Task A_fifo_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(_dir, "m");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR));
        var read = await Task.Run(() => SpoolFile.Read(fifo, Me)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(new SpoolFile.Content(SpoolFile.Status.Untrusted, "is a FIFO, not a regular file"), read);
    }

    [Fact]
    public void A_file_of_another_user_is_refused()
    {
        var path = Write("m", "encrypt:changeuserauth:x\n");
        var nobody = Syscall.getpwnam("nobody") ?? throw new InvalidOperationException("no user nobody");
        Assert.True(Syscall.chown(path, nobody.pw_uid, nobody.pw_gid) == 0, "chown to nobody (the suite runs as root)");
        var read = SpoolFile.Read(path, Me);
        Assert.Equal(SpoolFile.Status.Untrusted, read.Status);
        Assert.Equal($"is owned by uid {nobody.pw_uid}, not by lonc's user (uid {Me})", read.Text);
    }

    [Fact]
    public void A_file_with_a_second_name_is_refused()
    {
        var path = Write("m", "echo:linked\n");
        Assert.Equal(0, Syscall.link(path, Path.Combine(_dir, "other-name")));
        var read = SpoolFile.Read(path, Me);
        Assert.Equal(SpoolFile.Status.Untrusted, read.Status);
        Assert.StartsWith("has 2 links", read.Text);
    }

    [Fact]
    public void A_directory_is_refused_as_not_a_regular_file()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_dir, "m")).FullName;
        var read = SpoolFile.Read(sub, Me);
        Assert.Equal(new SpoolFile.Content(SpoolFile.Status.Untrusted, "is a directory, not a regular file"), read);
    }

    [Fact]
    public void A_missing_file_is_unreadable_with_its_reason()
    {
        Assert.Equal(new SpoolFile.Content(SpoolFile.Status.Unreadable, "no such file or directory"),
            SpoolFile.Read(Path.Combine(_dir, "gone"), Me));
    }

    [Fact]
    public void A_file_longer_than_a_request_and_its_line_end_is_too_long()
    {
        var path = Path.Combine(_dir, "m");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)'x', SpoolFile.MaxFileBytes).Append((byte)'\n').ToArray());
        Assert.Equal(SpoolFile.Status.TooLong, SpoolFile.Read(path, Me).Status);
    }

    [Theory]
    [InlineData("", SpoolFile.Status.Empty, "")]
    [InlineData("\n", SpoolFile.Status.Empty, "")]
    [InlineData("\r\n", SpoolFile.Status.Empty, "")]
    [InlineData("echo:part", SpoolFile.Status.Incomplete, "")]
    [InlineData("echo:x\nmore", SpoolFile.Status.Incomplete, "")]
    [InlineData("echo:x\n", SpoolFile.Status.Ready, "echo:x")]
    [InlineData("echo:x\r\n", SpoolFile.Status.Ready, "echo:x")]
    [InlineData("echo:\u00e9\n", SpoolFile.Status.Ready, "echo:\u00e9")]
    public void Parse_takes_a_complete_first_line(string content, SpoolFile.Status status, string text)
    {
        Assert.Equal(new SpoolFile.Content(status, text), SpoolFile.Parse(Encoding.Latin1.GetBytes(content)));
    }

    [Fact]
    public void Parse_refuses_a_first_line_longer_than_a_request()
    {
        var bytes = Enumerable.Repeat((byte)'x', Limits.MaxRequestLine + 1).Append((byte)'\n').ToArray();
        Assert.Equal(SpoolFile.Status.TooLong, SpoolFile.Parse(bytes).Status);
    }
}
