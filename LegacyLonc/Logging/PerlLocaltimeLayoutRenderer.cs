using System.Text;
using NLog;
using NLog.LayoutRenderers;

namespace LegacyLonc.Logging;

/// <summary>
/// <c>${perl-localtime}</c>: the event's time as Perl's <c>scalar localtime</c>, e.g.
/// <c>Sat Nov  1 09:05:03 2026</c>, the stamp that opens every 1.53 <c>lonc.log</c> line.
/// </summary>
/// <remarks>
/// LoncLog stamps its events with the same whole second it puts into <c>$lastlog</c>, so the line and
/// the USR1 status report agree; events from anywhere else are shown at their own time.
/// </remarks>
[LayoutRenderer(Name)]
public sealed class PerlLocaltimeLayoutRenderer : LayoutRenderer
{
    /// <summary>The name used in layouts.</summary>
    public const string Name = "perl-localtime";

    protected override void Append(StringBuilder builder, LogEventInfo logEvent) =>
        builder.Append(PerlTime.Localtime(PerlTime.EpochOf(logEvent.TimeStamp)));
}
