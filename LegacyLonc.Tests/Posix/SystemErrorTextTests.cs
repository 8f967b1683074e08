using System.Net.Sockets;
using System.Text.RegularExpressions;
using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

/// <summary>Failure reasons in lonc's own words, never a .NET resource key.</summary>
public sealed class SystemErrorTextTests : IDisposable
{
    private static readonly Regex ResourceKey = new(@"\b[A-Z][A-Za-z]*_[A-Z][A-Za-z]*\b");
    private readonly string _dir = Directory.CreateTempSubdirectory("ll-errtext-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Reason(Action failing)
    {
        try
        {
            failing();
        }
        catch (Exception e)
        {
            return SystemErrorText.Of(e);
        }
        throw new Xunit.Sdk.XunitException("the operation did not fail");
    }

    [Fact]
    public void Real_failures_of_files_and_sockets_read_as_plain_words()
    {
        var missingDir = Path.Combine(_dir, "no", "such");
        Assert.Equal("no such directory", Reason(() => File.WriteAllText(Path.Combine(missingDir, "f"), "x")));
        Assert.Equal("no such file", Reason(() => File.ReadAllText(Path.Combine(_dir, "missing"))));
        Directory.CreateDirectory(Path.Combine(_dir, "d", "inside"));
        File.WriteAllText(Path.Combine(_dir, "f"), "x");
        var renameOverDirectory = Reason(() => File.Move(Path.Combine(_dir, "f"), Path.Combine(_dir, "d"), overwrite: true));
        Assert.DoesNotMatch(ResourceKey, renameOverDirectory);
        Assert.Equal("connection refused", Reason(() =>
        {
            // Bound but not listening: the kernel refuses the connection.
            var path = Path.Combine(_dir, "sock");
            using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            bound.Bind(new UnixDomainSocketEndPoint(path));
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(path));
        }));
    }

    [Fact]
    public void Exceptions_map_by_type_and_errno()
    {
        Assert.Equal("permission denied", SystemErrorText.Of(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path")));
        Assert.Equal("path too long", SystemErrorText.Of(new PathTooLongException("IO_PathTooLong")));
        Assert.Equal("no space left on device", SystemErrorText.Of(new IOException("IO_DiskFull", 28)));
        Assert.Equal("input/output error", SystemErrorText.Of(new IOException("IO_IO_Error")));
        Assert.Equal("unexpected FormatException", SystemErrorText.Of(new FormatException("Format_Bad")));
        Assert.Null(SystemErrorText.Errno(0));
    }

    [Fact]
    public void Lonc_and_libraries_keep_their_own_words_and_a_missing_type_is_named()
    {
        var own = new SystemCallException("open", "/srv/x", 2);
        Assert.Equal("open /srv/x: no such file or directory", own.Message);
        Assert.Equal(2, own.Errno);
        Assert.Equal(own.Message, SystemErrorText.Of(own));
        // log4net's exceptions carry log4net's text, not a runtime resource key.
        Assert.Equal("appender failed", SystemErrorText.Of(new log4net.Core.LogException("appender failed")));
        var missing = Assert.ThrowsAny<TypeLoadException>(() => typeof(SystemErrorText).Assembly.GetType("LegacyLonc.No.Such", throwOnError: true));
        Assert.Equal("no such type LegacyLonc.No.Such", SystemErrorText.Of(missing));
    }
}
