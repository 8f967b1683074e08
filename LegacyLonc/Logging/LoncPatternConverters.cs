using log4net.Core;
using log4net.Layout.Pattern;

namespace LegacyLonc.Logging;

/// <summary>
/// <c>%localtime</c>: the event's time as Perl's <c>scalar localtime</c> (<c>Sat Nov  1 09:05:03 2026</c>),
/// the stamp that opens every 1.53 <c>lonc.log</c> line.
/// </summary>
/// <remarks>
/// LoncLog stamps its events with the same whole second it puts into <c>$lastlog</c>, so the line and the USR1
/// status report agree. log4net's <c>%date</c> formats through .NET cultures and cannot pad the day with a space.
/// </remarks>
public sealed class PerlLocaltimeConverter : PatternLayoutConverter
{
    // One formatted second per converter: a burst of lines within a second formats the time once.
    private sealed record Stamp(long Epoch, string Text);

    private volatile Stamp? _last;

    protected override void Convert(TextWriter writer, LoggingEvent loggingEvent)
    {
        var epoch = PerlTime.EpochOf(loggingEvent.TimeStampUtc);
        var last = _last;
        if (last is null || last.Epoch != epoch)
            _last = last = new Stamp(epoch, PerlTime.Localtime(epoch));
        writer.Write(last.Text);
    }
}

/// <summary><c>%pid</c>: Perl's <c>$$</c>, the pid of the writing process (log4net has no such word).</summary>
/// <remarks>lonc never forks without exec, so the pid read once is the real one for the life of the process.</remarks>
public sealed class ProcessIdConverter : PatternLayoutConverter
{
    private static readonly string Pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override void Convert(TextWriter writer, LoggingEvent loggingEvent) => writer.Write(Pid);
}

/// <summary>
/// <c>%conserver</c> and <c>%status</c>: 1.53's <c>$conserver</c> (<c>SHELL</c>, <c>PARENT</c> or the host id)
/// and <c>$status</c>, carried as properties of each event.
/// </summary>
/// <remarks>
/// Read from the event's own properties only: log4net's <c>%property</c> may also consult its global context,
/// whose set-up resolves the host name — start-up time every child would pay for nothing.
/// </remarks>
public abstract class EventPropertyConverter : PatternLayoutConverter
{
    private readonly string _key;

    private protected EventPropertyConverter(string key) => _key = key;

    protected override void Convert(TextWriter writer, LoggingEvent loggingEvent)
    {
        if (loggingEvent.LookupProperty(_key) is string text)
            writer.Write(text);
    }
}

/// <summary><c>%conserver</c>: see <see cref="EventPropertyConverter"/>.</summary>
public sealed class ConserverConverter() : EventPropertyConverter(LoncLayout.ConserverProperty);

/// <summary><c>%status</c>: see <see cref="EventPropertyConverter"/>.</summary>
public sealed class StatusConverter() : EventPropertyConverter(LoncLayout.StatusProperty);
