namespace LegacyLonc.Posix;

/// <summary>
/// Whether a process has installed a handler for a signal, read from the SigCgt mask of
/// <c>/proc/&lt;pid&gt;/status</c>.
/// </summary>
/// <remarks>
/// A freshly spawned .NET child needs a moment before it registers its handlers, and until then
/// USR1's default action would kill it. 1.53's forked children inherited their handler at once; the
/// parent here asks this before it sends a child USR1.
/// </remarks>
public static class SignalDisposition
{
    /// <summary>True when <paramref name="pid"/> catches <paramref name="signo"/>; false when it does not or is gone.</summary>
    public static bool Catches(int pid, int signo)
    {
        string status;
        try
        {
            status = File.ReadAllText($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return ParseMask(status, "SigCgt") is { } mask && signo is >= 1 and <= 64 && (mask & (1UL << (signo - 1))) != 0;
    }

    /// <summary>The hexadecimal signal mask on the <paramref name="field"/> line of a status text, or null.</summary>
    public static ulong? ParseMask(string statusText, string field)
    {
        foreach (var line in statusText.Split('\n'))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                continue;
            try
            {
                return Convert.ToUInt64(line[(field.Length + 1)..].Trim(), 16);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return null;
            }
        }
        return null;
    }
}
