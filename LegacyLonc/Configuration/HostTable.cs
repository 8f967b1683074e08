using System.Globalization;
using System.Net;
using System.Text;

namespace LegacyLonc.Configuration;

/// <summary>The parsed <c>hosts.tab</c>: valid hosts in file order, and every problem with file:line.</summary>
/// <remarks>
/// Every valid line is listed, this server's own <c>lonHostID</c> included: 1.53 started a child for
/// every id, and lonnet reaches the local lond through it. A bad line is reported and skipped so the
/// other hosts still run. Blank and <c>#</c> lines are skipped (lonnet's reader did so; whether 1.53's
/// lonc did is unknown, and a blank line would only have produced a bogus host there).
/// </remarks>
public sealed class HostTable
{
    /// <summary>Longest socket path AF_UNIX accepts: sun_path is 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>The file's name inside lonTabDir.</summary>
    public const string FileName = "hosts.tab";

    private const string Format = "id:domain:role:hostname:ip";

    public IReadOnlyList<HostEntry> Hosts { get; }
    public IReadOnlyList<Diagnostic> Problems { get; }

    /// <summary>
    /// The ids that skipped lines name in their first field (a bad IP, a missing field, a duplicate, a socket
    /// path too long): a reload keeps a running host whose line became malformed instead of taking it down.
    /// </summary>
    public IReadOnlySet<string> SkippedIds { get; }

    public HostTable(IReadOnlyList<HostEntry> hosts, IReadOnlyList<Diagnostic> problems, IReadOnlySet<string>? skippedIds = null)
    {
        Hosts = hosts;
        Problems = problems;
        SkippedIds = skippedIds ?? new HashSet<string>(StringComparer.Ordinal);
    }

    public HostEntry? Find(string id) => Hosts.FirstOrDefault(h => h.Id == id);

    /// <summary>Parses hosts.tab text; <paramref name="path"/> is used in diagnostics only.</summary>
    public static HostTable Parse(string path, string text) => Parse(path, InputFile.SplitLines(text));

    /// <summary>Reads and parses the file; an unreadable file throws <see cref="ConfigException"/>.</summary>
    public static HostTable Load(string path)
    {
        var lines = InputFile.ReadLines(path, out var problem);
        return lines is null ? throw new ConfigException(new[] { problem! }) : Parse(path, lines);
    }

    /// <summary>
    /// Reads <c>&lt;lonTabDir&gt;/hosts.tab</c> and also rejects hosts whose socket path
    /// <c>&lt;lonSockDir&gt;/&lt;id&gt;</c> would not fit in AF_UNIX (the child could never bind it).
    /// </summary>
    public static HostTable Load(LoncSettings settings)
    {
        var table = Load(settings.HostsTabPath);
        var hosts = new List<HostEntry>();
        var problems = table.Problems.ToList();
        var skipped = new HashSet<string>(table.SkippedIds, StringComparer.Ordinal);
        foreach (var host in table.Hosts)
        {
            var socket = settings.SocketPath(host.Id);
            var bytes = Encoding.UTF8.GetByteCount(socket);
            if (bytes <= MaxSocketPathBytes)
            {
                hosts.Add(host);
                continue;
            }
            problems.Add(new Diagnostic(settings.HostsTabPath, host.Line,
                $"socket path {socket} is {bytes} bytes, AF_UNIX allows {MaxSocketPathBytes}; shorten lonSockDir or the host id; host {host.Id} skipped"));
            skipped.Add(host.Id);
        }
        return new HostTable(hosts, problems.OrderBy(p => p.Line).ToList(), skipped);
    }

    private static HostTable Parse(string path, string[] lines)
    {
        var hosts = new List<HostEntry>();
        var problems = new List<Diagnostic>();
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
                continue;

            var lineNo = i + 1;
            var error = ParseLine(line, lineNo, out var host);
            if (error is null && firstLineOf.TryGetValue(host!.Id, out var first))
                error = $"duplicate host id {host.Id} (first defined on line {first})";
            if (error is not null)
            {
                problems.Add(new Diagnostic(path, lineNo, error + "; line skipped"));
                // A duplicate names a host that is listed anyway; any other bad line may be a running host's typo.
                if (host is null && line.Split(':')[0].Trim() is { Length: > 0 } claimed)
                    skipped.Add(claimed);
                continue;
            }
            firstLineOf[host!.Id] = lineNo;
            hosts.Add(host);
        }
        return new HostTable(hosts, problems, skipped);
    }

    private static string? ParseLine(string line, int lineNo, out HostEntry? host)
    {
        host = null;
        // Fields beyond the fifth (later files added a domain description) are ignored, as in 1.53.
        var fields = line.Split(':');
        if (fields.Length < 5)
            return $"expected {Format}, found {fields.Length} field{(fields.Length == 1 ? "" : "s")}";

        var id = fields[0];
        var idError = CheckId(id);
        if (idError is not null)
            return idError;

        // 1.53 stripped trailing non-digits from the ip field (s/\D+$//), which absorbs a CR or blanks.
        var ipText = fields[4][..(fields[4].AsSpan().LastIndexOfAnyInRange('0', '9') + 1)];
        if (!TryParseDottedQuad(ipText, out var address))
            return $"host {id}: bad IP address \"{fields[4]}\" (expected a dotted quad such as 192.0.2.1)";

        host = new HostEntry(id, fields[1], fields[2], fields[3], address!, lineNo);
        return null;
    }

    /// <summary>The id becomes a file name under lonSockDir, so only a conservative character set is allowed.</summary>
    private static string? CheckId(string id)
    {
        if (id.Length == 0)
            return "empty host id";
        if (id[0] == '.')
            return $"host id \"{id}\" starts with '.'";
        var bad = id.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'));
        if (bad != default)
            return $"host id \"{id}\" contains {Describe(bad)}; a host id names a socket file and may contain only letters, digits, '_', '.' and '-'";
        return null;
    }

    private static string Describe(char c) => c switch
    {
        ' ' => "a blank",
        _ when char.IsControl(c) => $"control character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    /// <summary>Strict IPv4: four decimal parts 0..255 (no octal-looking leading zeros, no short forms inet_aton would accept).</summary>
    private static bool TryParseDottedQuad(string text, out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4)
            return false;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit))
                return false;
            var n = int.Parse(p, CultureInfo.InvariantCulture);
            if (n > 255)
                return false;
            bytes[i] = (byte)n;
        }
        address = new IPAddress(bytes);
        return true;
    }
}
