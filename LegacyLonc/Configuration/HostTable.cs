namespace LegacyLonc.Configuration;

/// <summary>The parsed <c>hosts.tab</c>: valid hosts in file order, and every problem with file:line.</summary>
public sealed class HostTable
{
    public IReadOnlyList<HostEntry> Hosts { get; }
    public IReadOnlyList<Diagnostic> Problems { get; }

    public HostTable(IReadOnlyList<HostEntry> hosts, IReadOnlyList<Diagnostic> problems)
    {
        Hosts = hosts;
        Problems = problems;
    }

    public HostEntry? Find(string id) => Hosts.FirstOrDefault(h => h.Id == id);

    /// <summary>Parses hosts.tab text; <paramref name="path"/> is used in diagnostics only.</summary>
    public static HostTable Parse(string path, string text) => throw new NotImplementedException();

    /// <summary>Reads and parses the file; an unreadable file throws <see cref="ConfigException"/>.</summary>
    public static HostTable Load(string path) => throw new NotImplementedException();
}
