using System.Globalization;

namespace LegacyLonc.Testbed;

/// <summary>One lonc process at one moment: its role (<c>depth1 parent</c>, <c>h3 child</c>), resident set and open descriptors.</summary>
public sealed record SoakProcess(string Role, int Pid, long RssKiB, int Descriptors);

/// <summary>Reads the lonc processes of a daemon from /proc: the parent and its children, each child named by the UNIX socket it listens on.</summary>
internal static class SoakSample
{
    /// <summary>The parent <paramref name="parentPid"/> (role <c>&lt;name&gt; parent</c>) and every child of it, sorted by role.</summary>
    public static List<SoakProcess> Daemon(string name, int parentPid, string sockDir)
    {
        var sockets = UnixSocketsUnder(sockDir);
        var list = new List<SoakProcess>();
        if (Read($"{name} parent", parentPid) is { } parent)
            list.Add(parent);
        foreach (var pid in ChildrenOf(parentPid))
        {
            var host = SocketInodes(pid).Select(i => sockets.GetValueOrDefault(i)).FirstOrDefault(h => h != null);
            if (Read($"{host ?? "?"} child", pid) is { } child)
                list.Add(child);
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Role, b.Role));
        return list;
    }

    private static SoakProcess? Read(string role, int pid)
    {
        try
        {
            var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kib = long.Parse(rss["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return new SoakProcess(role, pid, kib, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null; // gone meanwhile
        }
    }

    /// <summary>The pids whose parent is <paramref name="parentPid"/>.</summary>
    public static IEnumerable<int> ChildrenOf(int parentPid)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText($"{dir}/stat");
            }
            catch (IOException)
            {
                continue;
            }
            // pid (comm) state ppid …: comm may hold spaces and parentheses, so count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var ppid) && ppid == parentPid)
                yield return pid;
        }
    }

    /// <summary>Inodes of the sockets <paramref name="pid"/> holds (<c>/proc/&lt;pid&gt;/fd/* → socket:[inode]</c>).</summary>
    private static IEnumerable<string> SocketInodes(int pid)
    {
        string[] fds;
        try
        {
            fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var fd in fds)
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                yield return target["socket:[".Length..^1];
        }
    }

    /// <summary>Inode → host of every UNIX socket bound to <c>&lt;sockDir&gt;/&lt;host&gt;</c> (/proc/net/unix).</summary>
    private static Dictionary<string, string> UnixSocketsUnder(string sockDir)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = sockDir.TrimEnd('/') + "/";
        foreach (var line in File.ReadLines("/proc/net/unix").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 8 && f[7].StartsWith(prefix, StringComparison.Ordinal) && !f[7][prefix.Length..].Contains('/'))
                map[f[6]] = f[7][prefix.Length..];
        }
        return map;
    }
}
