using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

public class FailureReasonTests
{
    [Theory]
    [InlineData("Fri Dec  4 15:31:21 2026: <font color=blue>WARNING: Couldn't connect to h5 (221 secs): Connection refused</font>",
        "Couldn't connect to h5 (221 secs): Connection refused")]
    [InlineData("Fri Dec 14 15:31:21 2026: <font color=red>CRITICAL: Can't make server socket</font>", "Can't make server socket")]
    [InlineData("Fri Dec  4 15:31:21 2026: Timed out during init.. exiting", "Timed out during init.. exiting")]
    [InlineData("", "")]
    public void The_reason_is_the_last_log_line_without_time_markers_and_severity(string lastLog, string reason)
    {
        Assert.Equal(reason, FailureReason.Of(lastLog));
    }
}
