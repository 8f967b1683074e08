using LegacyLonc.Logging;

namespace LegacyLonc.Tests.Logging;

/// <summary>Unknown log4net pattern words, which log4net itself passes over in silence.</summary>
public class ConversionPatternTests
{
    private static readonly string[] Known = { "n", "newline", "m", "message", "level", "p", "date", "d", "localtime", "pid" };

    [Theory]
    [InlineData("%localtime (%pid) [%m]")]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("%m%n")]
    [InlineData("%-5level %.30message %10.20m %date{HH:mm:ss} %d{yyyy}%n")]
    [InlineData("100%% sure %%nosuch")]
    [InlineData("ends with %")]
    [InlineData("%level-x %level.")]
    public void SoundPatterns_HaveNoProblems(string pattern)
    {
        Assert.Empty(ConversionPattern.Problems(pattern, Known));
    }

    [Fact]
    public void AnUnknownWord_IsNamed_WithWhatLog4NetWouldMakeOfIt()
    {
        Assert.Equal(new[]
        {
            "unknown pattern word \"%nosuch\" (log4net would read it as %n followed by \"osuch\")",
            "unknown pattern word \"%-5messages\" (log4net would read it as %message followed by \"s\")",
            "unknown pattern word \"%xyz\" (log4net would drop the % and print \"xyz\")",
            "unknown pattern word \"%Level\" (log4net would drop the % and print \"Level\")",
        }, ConversionPattern.Problems("a %nosuch b %-5messages %xyz{1} %Level", Known));
    }

    [Fact]
    public void APercentWithoutAWord_IsNamed()
    {
        Assert.Equal(new[] { "\"%5\" is not followed by a pattern word (write %% for a literal %)", "\"%\" is not followed by a pattern word (write %% for a literal %)" },
            ConversionPattern.Problems("%5 then % x", Known));
    }
}
