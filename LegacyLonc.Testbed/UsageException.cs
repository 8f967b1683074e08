namespace LegacyLonc.Testbed;

/// <summary>A bad command line of a lonc-testbed command; the message says what is wrong.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message)
    {
    }
}
