namespace LegacyLonc.Logging;

/// <summary>
/// Perl's <c>time</c> and <c>scalar localtime</c>, the two clocks every lonc log line is stamped with.
/// </summary>
/// <remarks>
/// <c>scalar localtime</c> is ctime(3) without the newline: <c>"%a %b %e %H:%M:%S %Y"</c>, English names,
/// the day of month padded with a space (<c>Sun Nov  1 16:00:00 2026</c>), the year unpadded. loncron and
/// admins' scripts read these stamps back, so the names are spelled out here rather than taken from a
/// culture. The zone is the process's local zone; .NET, like glibc, takes it from <c>TZ</c> or
/// <c>/etc/localtime</c>.
/// </remarks>
public static class PerlTime
{
    private static readonly string[] Days = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    private static readonly string[] Months =
        { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

    /// <summary>Perl <c>time</c>: whole seconds since the epoch.</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Perl <c>scalar localtime(<paramref name="epoch"/>)</c> in the local time zone.</summary>
    public static string Localtime(long epoch) => Localtime(epoch, TimeZoneInfo.Local);

    /// <summary>Perl <c>scalar localtime(<paramref name="epoch"/>)</c> as seen under <paramref name="zone"/>.</summary>
    public static string Localtime(long epoch, TimeZoneInfo zone)
    {
        var t = TimeZoneInfo.ConvertTimeFromUtc(DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime, zone);
        return $"{Days[(int)t.DayOfWeek]} {Months[t.Month - 1]} {t.Day,2} {t.Hour:00}:{t.Minute:00}:{t.Second:00} {t.Year}";
    }

    /// <summary>Whole epoch seconds of a <see cref="DateTime"/>; an unspecified kind counts as local, as in .NET.</summary>
    public static long EpochOf(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Utc ? time : time.ToUniversalTime();
        var ticks = (utc - DateTime.UnixEpoch).Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        return ticks % TimeSpan.TicksPerSecond < 0 ? seconds - 1 : seconds;
    }
}
