using LegacyLonc.Logging;

namespace LegacyLonc.Parent;

/// <summary>
/// The parent's lines about one host: each is logged with <see cref="LoncLog"/>'s method of its kind and kept as
/// the host's last event, which the USR1 status report shows beside a host without a serving child.
/// </summary>
public readonly struct HostLog
{
    private readonly LoncLog _log;
    private readonly ChildTable _children;
    private readonly string _host;

    public HostLog(LoncLog log, ChildTable children, string host)
    {
        _log = log;
        _children = children;
        _host = host;
    }

    /// <summary>A plain line (<see cref="LoncLog.Log(string)"/>).</summary>
    public void Log(string message)
    {
        _log.Log(message);
        Keep();
    }

    /// <summary>A <c>WARNING: …</c> line (<see cref="LoncLog.Warning"/>).</summary>
    public void Warning(string message)
    {
        _log.Warning(message);
        Keep();
    }

    /// <summary>A <c>CRITICAL: …</c> line (<see cref="LoncLog.Critical"/>).</summary>
    public void Critical(string message)
    {
        _log.Critical(message);
        Keep();
    }

    /// <summary>An <c>INFO: …</c> line (<see cref="LoncLog.Info"/>).</summary>
    public void Info(string message)
    {
        _log.Info(message);
        Keep();
    }

    /// <summary>1.53's yellow line, verbatim (<see cref="LoncLog.Attention"/>).</summary>
    public void Attention(string message)
    {
        _log.Attention(message);
        Keep();
    }

    private void Keep() => _children.Note(_host, _log.LastLog);
}
