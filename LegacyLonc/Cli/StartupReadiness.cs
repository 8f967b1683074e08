using LegacyLonc.Configuration;
using LegacyLonc.Posix;

namespace LegacyLonc.Cli;

/// <summary>One directory the daemon writes to, and what it keeps there.</summary>
public sealed record NeededDirectory(string Path, string Purpose);

/// <summary>What <see cref="StartupReadiness.Check"/> looked at and found.</summary>
/// <param name="Account">The account lonc is to run as, or null when it does not exist.</param>
/// <param name="Directories">The directories the daemon writes to, in the order checked.</param>
/// <param name="Problems">Each names the path and says what to do.</param>
public sealed record ReadinessReport(UnixAccount? Account, IReadOnlyList<NeededDirectory> Directories, IReadOnlyList<Diagnostic> Problems);

/// <summary>
/// What start-up needs beyond well-formed files: a usable host, the account lonc runs as (<c>--user</c>), the
/// directories it writes to and the files it reads, each judged for that account — <c>--check-config</c> usually
/// runs as root or as an administrator, not as the account itself. Start-up and <c>--check-config</c> run this
/// same check: the daemon refuses to start on exactly the problems <c>--check-config</c> lists.
/// </summary>
/// <remarks>
/// Without these checks a configuration whose <c>lonDaemons</c> did not exist passed <c>--check-config</c>,
/// and the daemon then died on its pid file. Permissions are judged from owner, group and mode bits (ACLs are
/// not consulted), including search permission on every directory above a path. Only lonc's user and root
/// are trusted: a directory lonc writes to that another user owns, or that group or others may write, would let
/// that user replace a socket, plant a delayed message or a pid file.
/// </remarks>
public static class StartupReadiness
{
    /// <summary>
    /// Checks <paramref name="hosts"/> (when it could be read) for a usable host, then the account, the directories
    /// and the input files named by <paramref name="inspection"/>.
    /// </summary>
    public static ReadinessReport Check(SettingsInspection inspection, string user, HostTable? hosts)
    {
        var account = UnixAccount.Find(user);
        var problems = new List<Diagnostic>();
        if (hosts is { Hosts.Count: 0 } && inspection.Value("lonTabDir") is { } hostsDir)
            problems.Add(new Diagnostic(Path.Combine(hostsDir, HostTable.FileName), 0,
                "lists no usable host, so lonc would serve nothing; add a line id:domain:role:hostname:ip for every host lonnet talks to"));
        if (account is null)
            problems.Add(new Diagnostic($"user {user}", 0,
                $"no such account on this machine; create it (adduser --system {user}) or name the account lonc runs as with --user"));
        var check = new PathCheck(account, user, problems);
        var directories = new List<NeededDirectory>();

        if (inspection.Value("lonDaemons") is { } daemons)
        {
            var logs = new NeededDirectory(Path.Combine(daemons, "logs"), "lonc.log, lonc.pid, lonnet.perm.log");
            directories.Add(logs);
            check.WritableDirectory(logs);
        }
        if (inspection.Value("lonSockDir") is { } sockDir)
        {
            var sockets = new NeededDirectory(sockDir, "one UNIX socket per host");
            var delayed = new NeededDirectory(Path.Combine(sockDir, "delayed"), "delayed messages, removed once delivered");
            directories.Add(sockets);
            directories.Add(delayed);
            check.WritableDirectory(sockets);
            check.WritableDirectory(delayed);
        }
        if (inspection.Value("lonDocRoot") is { } docRoot)
        {
            var status = new NeededDirectory(Path.Combine(docRoot, "lon-status"), "loncstatus.txt, written on USR1");
            directories.Add(status);
            check.CreatableDirectory(status, docRoot);
        }

        var inputs = inspection.Files.ToList();
        if (inspection.Value("lonTabDir") is { } tabDir)
            inputs.Add(Path.Combine(tabDir, HostTable.FileName));
        foreach (var file in inputs)
            check.ReadableFile(file);

        return new ReadinessReport(account, directories, problems.Distinct().ToList());
    }

    /// <summary>The checks of one path each; every problem goes to the shared list.</summary>
    private sealed class PathCheck(UnixAccount? account, string user, List<Diagnostic> problems)
    {
        // The write bits of the group and the other triplet (octal 020 and 002).
        private const uint GroupWrite = 0x10, OtherWrite = 0x2;
        private readonly HashSet<string> _barriers = new(StringComparer.Ordinal);

        /// <summary>The directory exists, the account can enter it and create files in it, and nobody else can (<see cref="Trusted"/>).</summary>
        public void WritableDirectory(NeededDirectory dir)
        {
            if (ExistingDirectory(dir.Path, $"create it: mkdir -p {dir.Path} && chown {user} {dir.Path}") is not { } stat)
                return;
            Trusted(dir, stat);
            if (account is null || !Reachable(dir.Path))
                return;
            if (!account.Permits(stat, UnixAccount.Write | UnixAccount.Search))
                Problem(dir.Path, $"not writable by {user} ({Describe(stat)}); lonc keeps {dir.Purpose} here: chown {user} {dir.Path}");
        }

        /// <summary>
        /// Only lonc's user or root owns the directory, and neither its group nor others may write to it: whoever
        /// can write there can replace or plant what lonc keeps there.
        /// </summary>
        private void Trusted(NeededDirectory dir, FileNode stat)
        {
            var faults = new List<string>();
            var fixes = new List<string>();
            if (account is not null && stat.Owner != 0 && stat.Owner != account.Uid)
            {
                faults.Add($"owned by {UnixAccount.NameOf(stat.Owner)}, not by {user} or root");
                fixes.Add($"chown {user} {dir.Path}");
            }
            var writers = (stat.Mode & GroupWrite) != 0
                ? (stat.Mode & OtherWrite) != 0 ? "its group and every user" : "its group"
                : (stat.Mode & OtherWrite) != 0 ? "every user" : null;
            if (writers is not null)
            {
                faults.Add($"writable by {writers}");
                fixes.Add($"chmod go-w {dir.Path}");
            }
            if (faults.Count > 0)
                Problem(dir.Path, $"{string.Join(" and ", faults)} ({Describe(stat)}): another user could replace or plant what lonc keeps here ({dir.Purpose}); {string.Join(" && ", fixes)}");
        }

        /// <summary>The directory exists and is writable, or its parent lets the account create it.</summary>
        public void CreatableDirectory(NeededDirectory dir, string parent)
        {
            if (FileNode.OfPath(dir.Path, out var error) is not null || error != Errno.ENOENT)
            {
                WritableDirectory(dir);
                return;
            }
            if (ExistingDirectory(parent, $"check lonDocRoot, or create it with {dir.Path}: mkdir -p {dir.Path} && chown {user} {dir.Path}") is not { } stat)
                return;
            if (account is null || !Reachable(parent))
                return;
            if (!account.Permits(stat, UnixAccount.Write | UnixAccount.Search))
                Problem(dir.Path, $"does not exist and {user} cannot create it in {parent} ({Describe(stat)}); lonc keeps {dir.Purpose} there: mkdir {dir.Path} && chown {user} {dir.Path}");
        }

        /// <summary>The account can read the file (a missing one is reported by the configuration check already).</summary>
        public void ReadableFile(string path)
        {
            if (account is null || FileNode.OfPath(path, out _) is not { } stat || !Reachable(path))
                return;
            if (!account.Permits(stat, UnixAccount.Read))
                Problem(path, $"not readable by {user} ({Describe(stat)}); lonc reads it at every start: chmod a+r {path}");
        }

        private FileNode? ExistingDirectory(string path, string missingAdvice)
        {
            var stat = FileNode.OfPath(path, out var error);
            if (stat is null)
            {
                Problem(path, error == Errno.ENOENT
                    ? $"does not exist; {missingAdvice}"
                    : $"cannot be examined: {SystemErrorText.Errno(error)}");
                return null;
            }
            if (!stat.Value.IsDirectory)
            {
                Problem(path, "is not a directory; lonc needs a directory here: move the file away and create the directory");
                return null;
            }
            return stat;
        }

        /// <summary>Every directory above <paramref name="path"/> lets the account through.</summary>
        private bool Reachable(string path)
        {
            for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (FileNode.OfPath(dir, out _) is { } stat && !account!.Permits(stat, UnixAccount.Search))
                {
                    // Named once, however many of lonc's paths lie below it.
                    if (_barriers.Add(dir))
                        Problem(dir, $"{user} cannot pass through this directory ({Describe(stat)}), so nothing lonc needs below it is within reach: chmod o+x {dir}");
                    return false;
                }
            }
            return true;
        }

        private static string Describe(FileNode stat) => $"owner {UnixAccount.NameOf(stat.Owner)}, mode {stat.Octal}";

        private void Problem(string path, string message) => problems.Add(new Diagnostic(path, 0, message));
    }
}
