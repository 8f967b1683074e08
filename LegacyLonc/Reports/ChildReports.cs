using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Reports;

/// <summary>
/// The parent's end of the children's report pipe (<see cref="ParentChannel"/>): one pipe for all children,
/// its write end handed to each child as descriptor 3, its read end in the main loop's wait set next to the
/// signal pipe. Both ends are non-blocking and close-on-exec (a HUP re-exec makes a new pipe).
/// </summary>
public sealed class ChildReports : IDisposable
{
    private readonly ReportPipe _pipe = new();
    private readonly byte[] _buffer = new byte[4096];
    private readonly List<byte> _partial = new();

    /// <summary>The descriptor to pass to every child (it becomes the child's descriptor 3).</summary>
    public int WriteEnd => _pipe.WriteEnd;

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> until a report or <paramref name="otherFd"/> (the signal pipe) is readable.
    /// </summary>
    public void Wait(int otherFd, int timeoutMs) => _pipe.Wait(otherFd, timeoutMs);

    /// <summary>
    /// Every complete report line that has arrived, parsed; <paramref name="malformed"/> gets the lines that are
    /// not reports (escaped by the logger), which the caller logs.
    /// </summary>
    public IReadOnlyList<ParentChannel.Message> Take(List<string> malformed)
    {
        var messages = new List<ParentChannel.Message>();
        while (true)
        {
            var n = _pipe.Read(_buffer);
            if (n <= 0)
                break;
            Split(_buffer.AsSpan(0, n), messages, malformed);
            if (n < _buffer.Length)
                break;
        }
        return messages;
    }

    private void Split(ReadOnlySpan<byte> bytes, List<ParentChannel.Message> messages, List<string> malformed)
    {
        foreach (var b in bytes)
        {
            if (b != (byte)'\n')
            {
                // A line longer than any report cannot be one; keep only its beginning for the log.
                if (_partial.Count <= ParentChannel.MaxLine)
                    _partial.Add(b);
                continue;
            }
            var line = Encoding.UTF8.GetString(_partial.ToArray());
            _partial.Clear();
            if (ParentChannel.TryParse(line, out var message))
                messages.Add(message);
            else
                malformed.Add(line);
        }
    }

    public void Dispose() => _pipe.Dispose();
}
