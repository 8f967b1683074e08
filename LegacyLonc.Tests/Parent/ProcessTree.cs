using System.Net.Sockets;

namespace LegacyLonc.Tests.Parent;

/// <summary>Who is whose child, read from /proc; and which process listens on a UNIX socket.</summary>
internal static class ProcessTree
{
    /// <summary>Live (not zombie) children of <paramref name="parent"/>.</summary>
    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            var stat = Stat(pid);
            if (stat is { } s && s.Ppid == parent && s.State != 'Z')
                result.Add(pid);
        }
        return result;
    }

    /// <summary>State and parent of a process, or null when it is gone.</summary>
    public static (char State, int Ppid, int Session)? Stat(int pid)
    {
        string line;
        try
        {
            line = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var f = line[(line.LastIndexOf(')') + 2)..].Split(' ');
        return (f[0][0], int.Parse(f[1]), int.Parse(f[3]));
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { } s && s.State != 'Z';

    /// <summary>The command line as ps shows it (NULs as spaces, trailing blanks dropped); "" when gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The kernel's short name of the process (/proc/pid/comm).</summary>
    public static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The pid that listens on <paramref name="socketPath"/> (SO_PEERCRED), or null.</summary>
    public static int? ListenerPid(string socketPath)
    {
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(socketPath));
            var cred = new byte[12];
            s.GetRawSocketOption(1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, cred);
            return BitConverter.ToInt32(cred, 0);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
