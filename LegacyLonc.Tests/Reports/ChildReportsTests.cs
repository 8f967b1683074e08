using System.Text;
using LegacyLonc.Reports;
using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Reports;

/// <summary>The report pipe between children and parent, written as a child writes it (one write per line).</summary>
public sealed class ChildReportsTests : IDisposable
{
    private readonly ChildReports _reports = new();

    public void Dispose() => _reports.Dispose();

    private void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(bytes.Length, (int)RawFile.WriteOnce(_reports.WriteEnd, bytes, out _));
    }

    [Fact]
    public void Lines_come_back_as_messages_and_anything_else_is_set_aside()
    {
        Write(ParentChannel.Format(ParentChannel.Online, "h1", 101));
        Write(ParentChannel.Format(ParentChannel.ResetRetries, "h2", 102));
        Write("bogus line\n");
        Write(ParentChannel.Format(ParentChannel.Sleeping, "h3", 103));

        var malformed = new List<string>();
        var messages = _reports.Take(malformed);

        Assert.Equal(new[]
        {
            new ParentChannel.Message("online", "h1", 101),
            new ParentChannel.Message("reset_retries", "h2", 102),
            new ParentChannel.Message("sleeping", "h3", 103),
        }, messages);
        Assert.Equal(new[] { "bogus line" }, malformed);
        Assert.Empty(_reports.Take(malformed));
    }

    [Fact]
    public void A_line_split_across_reads_is_put_together()
    {
        var malformed = new List<string>();
        Write("online h");
        Assert.Empty(_reports.Take(malformed));
        Write("1 7\n");
        Assert.Equal(new[] { new ParentChannel.Message("online", "h1", 7) }, _reports.Take(malformed));
        Assert.Empty(malformed);
    }

    [Fact]
    public void Waiting_ends_when_a_report_arrives()
    {
        var (other, peer) = LegacyLonc.Posix.SocketPair.Create();
        using (other)
        using (peer)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            _reports.Wait((int)other.Handle, 50);
            Assert.True(sw.ElapsedMilliseconds >= 40, $"returned after {sw.ElapsedMilliseconds} ms without anything to read");
            Write("online h1 7\n");
            sw.Restart();
            _reports.Wait((int)other.Handle, 10_000);
            Assert.True(sw.ElapsedMilliseconds < 5_000);
        }
    }

    [Fact]
    public void A_sleeping_child_says_for_how_long_and_why_on_one_line_of_bounded_length()
    {
        var reason = "Couldn't connect to h5 (221 secs): lond said \"ñ\"\nand more " + new string('x', 5000);
        Write(ParentChannel.FormatSleeping("h5", 104, 221, reason));

        var malformed = new List<string>();
        var message = Assert.Single(_reports.Take(malformed));

        Assert.Empty(malformed);
        Assert.Equal(("sleeping", "h5", 104, 221), (message.Verb, message.Host, message.Pid, message.SleepSeconds));
        Assert.StartsWith("Couldn't connect to h5 (221 secs): lond said \"ñ\" and more xxx", message.Reason);
        Assert.Equal(ParentChannel.MaxReasonChars, message.Reason.Length);
    }

    [Theory]
    [InlineData("sleeping h1 7 12")]
    [InlineData("sleeping h1 7 x reason")]
    [InlineData("online h1 7 12 reason")]
    [InlineData("online h1")]
    [InlineData("online h1 0")]
    [InlineData("online h1 -3")]
    [InlineData("hello h1 7")]
    [InlineData("online  7")]
    [InlineData("online h1 7 extra")]
    public void Only_verb_host_and_pid_parse(string line)
    {
        Assert.False(ParentChannel.TryParse(line, out _));
    }

    [Fact]
    public void The_write_end_is_never_descriptor_3_itself()
    {
        Assert.True(_reports.WriteEnd > 3);
    }
}
