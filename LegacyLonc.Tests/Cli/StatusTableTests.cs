using LegacyLonc.Cli;
using LegacyLonc.Status;

namespace LegacyLonc.Tests.Cli;

public class StatusTableTests
{
    // 2026-11-21 11:30:48 UTC and later.
    private const long T = 1795260648;

    private static readonly StatusSnapshot Status = new(4242, new[]
    {
        new HostStatus("h1", 1234, "serving", T, 0, null, null),
        new HostStatus("h2", 1240, "sleeping", T + 60, 1, T + 180, "Couldn't connect to h2 (120 secs): Connection refused"),
        new HostStatus("h3", null, "skipped", T + 12, 5, null, "Child 1250 for server h3 ended with signal 9 (SIGKILL)"),
        new HostStatus("h4", null, "backing_off", T + 5, 2, T + 45, "Init failed"),
    });

    [Fact]
    public void Every_host_has_a_row_with_pid_state_since_next_attempt_and_last_error()
    {
        var output = new StringWriter();

        StatusTable.Write(Status, output, TimeZoneInfo.Utc);

        Assert.Equal(
            "lonc (pid 4242): 4 hosts: 1 serving, 1 backing off, 1 skipped, 1 sleeping\n" +
            "\n" +
            "HOST  PID   STATE                     SINCE                     NEXT ATTEMPT              LAST ERROR\n" +
            "h1    1234  serving                   Sat Nov 21 11:30:48 2026  -\n" +
            "h2    1240  sleeping after failure    Sat Nov 21 11:31:48 2026  Sat Nov 21 11:33:48 2026  Couldn't connect to h2 (120 secs): Connection refused\n" +
            "h3    -     skipped after 5 attempts  Sat Nov 21 11:31:00 2026  on USR1                   Child 1250 for server h3 ended with signal 9 (SIGKILL)\n" +
            "h4    -     backing off               Sat Nov 21 11:30:53 2026  Sat Nov 21 11:31:33 2026  Init failed\n",
            output.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_JSON_document_comes_back_as_it_went_and_names_every_field()
    {
        var json = Status.ToJson(indented: true);
        var text = System.Text.Encoding.UTF8.GetString(json);

        var back = StatusSnapshot.Parse(json);

        Assert.Equal(Status.Parent, back.Parent);
        Assert.Equal(Status.Hosts, back.Hosts);
        Assert.Contains("\"since\": \"2026-11-21T11:30:48Z\"", text);
        Assert.Contains("\"next_attempt\": null", text);
        Assert.Contains("\"last_error\": \"Couldn't connect to h2 (120 secs): Connection refused\"", text);
        Assert.Throws<FormatException>(() => StatusSnapshot.Parse("{\"parent\":1,\"hosts\":[{\"host\":\"h1\"}]}"u8));
        Assert.Throws<FormatException>(() => StatusSnapshot.Parse("not json"u8));
    }
}
