using LegacyLonc.Logging;
using LegacyLonc.Tests.Crypto;

namespace LegacyLonc.Tests.Logging;

/// <summary>PerlTime against Perl 5.36 itself (skipped, not failed, where Perl is not installed).</summary>
public class PerlTimeTests
{
    // Epoch 0, a leap day, the single-digit-day 1 Nov 2026, both sides of the EU and US DST changes of 2024,
    // the 32-bit end, 2100 (beyond the transition tables, where the zone's rule string takes over).
    private static readonly long[] Epochs =
        { 0, 951782400, 1000000000, 1711846799, 1711846800, 1730595600, 1793523903, 1793556000, 2147483647, 4102444800 };

    [Fact]
    public void Localtime_PadsTheDayWithASpace()
    {
        Assert.Equal("Sun Nov  1 09:05:03 2026", PerlTime.Localtime(1793523903, TimeZoneInfo.Utc));
        Assert.Equal("Thu Jan  1 00:00:00 1970", PerlTime.Localtime(0, TimeZoneInfo.Utc));
    }

    [PerlTheory]
    [InlineData("UTC")]
    [InlineData("America/Detroit")]
    [InlineData("Europe/Berlin")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Lord_Howe")]
    public void Localtime_MatchesPerl_UnderTZ(string tz)
    {
        var perl = PerlOracle.PerlLocaltime(Epochs, tz);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tz);
        Assert.Equal(perl, Epochs.Select(e => PerlTime.Localtime(e, zone)).ToArray());
    }

    [PerlFact]
    public void Localtime_InTheProcessZone_MatchesPerlInTheSameEnvironment()
    {
        var perl = PerlOracle.PerlLocaltime(Epochs);
        Assert.Equal(perl, Epochs.Select(PerlTime.Localtime).ToArray());
    }

    [Fact]
    public void EpochOf_TruncatesToWholeSecondsInEitherKind()
    {
        var utc = DateTime.UnixEpoch.AddSeconds(1793523903.75);
        Assert.Equal(1793523903, PerlTime.EpochOf(utc));
        Assert.Equal(1793523903, PerlTime.EpochOf(utc.ToLocalTime()));
        Assert.Equal(-1, PerlTime.EpochOf(DateTime.UnixEpoch.AddSeconds(-0.5)));
    }
}
