using LegacyLonc.Logging;
using LegacyLonc.Posix;
using LegacyLonc.Tests.Support;
using Microsoft.Win32.SafeHandles;

namespace LegacyLonc.Tests.Logging;

/// <summary>
/// lonc.log and lonnet.perm.log replaced by something else in <c>logs/</c> — a symbolic link to another file, a
/// FIFO — are refused, not followed or blocked on; a missing file is still created (rotation by rename).
/// </summary>
public sealed class PlantedLogFileTests : IDisposable
{
    private readonly TempDaemons _daemons = new();
    private readonly StringWriter _errors = new();

    private string Victim => Path.Combine(_daemons.Root, "victim");

    [Fact]
    public void A_symbolic_link_in_place_of_lonc_log_is_not_followed_and_is_reported()
    {
        File.WriteAllText(Victim, "secret\n");
        File.CreateSymbolicLink(_daemons.LoncLog, Victim);
        var log = LoncLog.Open(_daemons.Root, "PARENT", null, _errors);

        log.Log("a line");
        log.Log("another line");

        Assert.Equal("secret\n", File.ReadAllText(Victim));
        Assert.NotNull(new FileInfo(_daemons.LoncLog).LinkTarget);
        // One report for the outage, naming the file and why.
        var report = Assert.Single(_errors.ToString().TrimEnd('\n').Split('\n'));
        Assert.Contains($"cannot append to {_daemons.LoncLog}: it is a symbolic link, which lonc does not follow", report);
    }

    [Fact]
    public void A_symbolic_link_in_place_of_lonnet_perm_log_is_not_followed_and_is_reported()
    {
        File.WriteAllText(Victim, "secret\n");
        File.CreateSymbolicLink(_daemons.PermLog, Victim);
        var log = LoncLog.Open(_daemons.Root, "h1", null, _errors);

        log.Perm("S:h1:put:msu:x");

        Assert.Equal("secret\n", File.ReadAllText(Victim));
        Assert.Contains($"cannot append to {_daemons.PermLog}: it is a symbolic link", _errors.ToString());
    }

    [Fact]
    public void A_FIFO_in_place_of_lonc_log_is_refused_without_blocking_whether_or_not_it_has_a_reader()
    {
        Fifo(_daemons.LoncLog);
        var file = new AppendOnlyFile(_daemons.LoncLog, _errors);

        // No reader: a blocking open would wait for one forever.
        Assert.False(AppendWithin(file, "nobody reads this\n"));

        // With a reader the open succeeds; the descriptor's type decides.
        var fd = RawFile.Open(_daemons.LoncLog, RawFile.ReadOnly | RawFile.NonBlocking, 0, out var errno);
        Assert.True(fd >= 0, $"errno {errno}");
        using var reader = new SafeFileHandle(fd, ownsHandle: true);
        Assert.False(AppendWithin(file, "nor this\n"));
        Assert.Contains($"cannot append to {_daemons.LoncLog}: it is a FIFO", _errors.ToString());
    }

    [Fact]
    public void A_missing_log_is_created_0644_so_rotation_by_rename_goes_on_working()
    {
        var file = new AppendOnlyFile(_daemons.LoncLog, _errors);
        Assert.True(file.Append("one\n"));
        File.Move(_daemons.LoncLog, _daemons.LoncLog + ".1");

        Assert.True(file.Append("two\n"));

        Assert.Equal("two\n", File.ReadAllText(_daemons.LoncLog));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(_daemons.LoncLog));
        Assert.Equal("", _errors.ToString());
    }

    /// <summary>Append, bounded: a call that blocks fails the test instead of hanging the suite.</summary>
    private static bool AppendWithin(AppendOnlyFile file, string line)
    {
        var append = Task.Run(() => file.Append(line));
        Assert.True(append.Wait(TimeSpan.FromSeconds(20)), "Append blocked on the FIFO");
        return append.Result;
    }

    private static void Fifo(string path)
    {
        var (exit, output, errors) = ExternalProgram.Run("mkfifo", new[] { "-m", "0644", path });
        Assert.True(exit == 0, output + errors);
    }

    public void Dispose() => _daemons.Dispose();
}
