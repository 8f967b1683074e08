using LegacyLonc.Cli;

namespace LegacyLonc.Tests.Cli;

public class StatusTableTests
{
    private static readonly string[] Report =
    {
        "1234\th1\tSat Nov 21 11:30:48 2026: Main loop h1\tSat Nov 21 11:30:48 2026: <font color=green>h1 online</font>",
        "-\th3\tskipped after 5 attempts, restarting now\tSat Nov 21 11:31:00 2026: <font color=blue>WARNING: Skipped h3 </font>",
        "-\th9\tremoved\tSat Nov 21 11:32:00 2026: <font color=red>CRITICAL: Killing child for h9 host no longer exists</font>",
        "-\th2\tbacking off until Sat Nov 21 11:40:00 2026\t",
        "not a status line",
    };

    [Fact]
    public void Rows_come_in_hosts_tab_order_without_colour_markers_and_name_the_hosts_without_a_line()
    {
        var output = new StringWriter();
        var rows = StatusTable.Rows(Report);

        var missing = StatusTable.Write(rows, new[] { "h1", "h2", "h3", "h4" }, output);

        Assert.Equal(new[] { "h4" }, missing);
        Assert.Equal(
            "HOST  PID   STATE                                       LAST LOG LINE\n" +
            "h1    1234  serving: Main loop h1                       Sat Nov 21 11:30:48 2026: h1 online\n" +
            "h2    -     backing off until Sat Nov 21 11:40:00 2026\n" +
            "h3    -     skipped after 5 attempts, restarting now    Sat Nov 21 11:31:00 2026: WARNING: Skipped h3\n" +
            "h9    -     removed                                     Sat Nov 21 11:32:00 2026: CRITICAL: Killing child for h9 host no longer exists\n",
            output.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_summary_counts_each_kind_of_state_serving_first()
    {
        Assert.Equal("4 hosts: 1 serving, 1 backing off, 1 removed, 1 skipped", StatusTable.Summary(StatusTable.Rows(Report)));
    }
}
