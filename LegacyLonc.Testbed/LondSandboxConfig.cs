using System.Net;

namespace LegacyLonc.Testbed;

/// <summary>
/// What <c>lonc-testbed lond --sandbox DIR</c> needs from a LON-CAPA tree: londPort and lonHostID from
/// <c>conf/loncapa_apache.conf</c> + <c>conf/loncapa.conf</c> (<c>PerlSetVar name value</c>, later wins) and the
/// hosts of <c>&lt;lonTabDir&gt;/hosts.tab</c>. Deliberately tiny and self-contained: the emulator must not depend
/// on the daemon's own configuration code it is used to test.
/// </summary>
public sealed class LondSandboxConfig
{
    public int? Port { get; private init; }
    public string? ClientId { get; private init; }
    /// <summary>Hosts with a loopback address, in file order.</summary>
    public IReadOnlyList<(IPAddress Address, string HostId)> Hosts { get; private init; } = Array.Empty<(IPAddress, string)>();
    /// <summary>Lines that were skipped, as "file:line: reason".</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = Array.Empty<string>();

    /// <exception cref="IOException">A file is missing or unreadable (message names it).</exception>
    public static LondSandboxConfig Load(string root)
    {
        var warnings = new List<string>();
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var confDir = Path.Combine(root, "conf");
        foreach (var name in new[] { "loncapa_apache.conf", "loncapa.conf" })
        {
            var path = Path.Combine(confDir, name);
            if (!File.Exists(path))
                continue;
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3 && parts[0] == "PerlSetVar")
                    vars[parts[1]] = parts[2].Trim();
            }
        }

        int? port = null;
        if (vars.TryGetValue("londPort", out var portText))
        {
            if (int.TryParse(portText, out var p) && p is > 0 and < 65536)
                port = p;
            else
                warnings.Add($"{confDir}: londPort '{portText}' is not a port number");
        }

        var tabDir = vars.GetValueOrDefault("lonTabDir") ?? Path.Combine(root, "lonTabs");
        var hostsPath = Path.Combine(tabDir, "hosts.tab");
        if (!File.Exists(hostsPath))
            throw new IOException($"{hostsPath}: no such file");
        var hosts = new List<(IPAddress, string)>();
        var lineNo = 0;
        foreach (var raw in File.ReadLines(hostsPath))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split(':');
            if (fields.Length < 5 || fields[0].Length == 0)
            {
                warnings.Add($"{hostsPath}:{lineNo}: expected id:domain:role:hostname:ip");
                continue;
            }
            // lonc strips trailing non-digits from the IP field.
            var ipText = StripTrailingNonDigits(fields[4].Trim());
            if (!IPAddress.TryParse(ipText, out var ip))
                warnings.Add($"{hostsPath}:{lineNo}: host {fields[0]}: '{fields[4]}' is not an IP address");
            else if (!LondEmulator.IsLoopback(ip))
                warnings.Add($"{hostsPath}:{lineNo}: host {fields[0]}: {ip} is not on 127.0.0.0/8, not emulated");
            else
                hosts.Add((ip, fields[0]));
        }

        return new LondSandboxConfig
        {
            Port = port,
            ClientId = vars.GetValueOrDefault("lonHostID"),
            Hosts = hosts,
            Warnings = warnings,
        };
    }

    private static string StripTrailingNonDigits(string s)
    {
        var end = s.Length;
        while (end > 0 && !char.IsAsciiDigit(s[end - 1]))
            end--;
        return s[..end];
    }
}
