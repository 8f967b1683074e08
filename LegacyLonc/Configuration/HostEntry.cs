using System.Net;

namespace LegacyLonc.Configuration;

/// <summary>One line of <c>hosts.tab</c>: <c>id:domain:role:hostname:ip</c>.</summary>
public sealed record HostEntry(string Id, string Domain, string Role, string Hostname, IPAddress Address, int Line);
