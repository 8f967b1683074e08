using System.Reflection;
using LegacyLonc.Configuration;

namespace LegacyLonc.Cli;

/// <summary><c>lonc --help</c> and <c>lonc --version</c> texts.</summary>
public static class Usage
{
    public static string HelpText { get; } = $"""
        Usage: lonc [--conf-dir DIR] [--user NAME] [--foreground]
               lonc --check-config [--conf-dir DIR] [--user NAME]
               lonc --status [--json] [--conf-dir DIR]
               lonc --help | --version

        lonc keeps one persistent connection to the lond of every host in hosts.tab, one child
        process per host, and offers it to local clients (lonnet) as a UNIX socket per host.

        Options:
          --conf-dir DIR   directory holding {SettingsLoader.ApacheConfName} and {SettingsLoader.SiteConfName}
                           (default {LoncOptions.DefaultConfDir})
          --user NAME      the user lonc must run as (default {LoncOptions.DefaultUser})
          --foreground     do not detach from the terminal (without it, lonc returns once the
                           detached daemon has written lonc.pid, or exits saying why not; the
                           daemon then keeps stdin and stdout on /dev/null and appends stderr to
                           <lonDaemons>/logs/lonc_errors)
          --check-config   read the configuration and hosts.tab, print the effective settings
                           and hosts, check the account and the directories lonc writes to
                           (for --user NAME), report every problem with file and line or path
                           (start-up refuses on the same problems); exit 0 if there is none,
                           1 otherwise
          --status         print the status the running lonc (found through lonc.pid) keeps
                           in lonc.status.json: every host with its child's pid, state, since
                           when, when its next attempt is due and the last failure; it only
                           reads (no signal); exit 1 if lonc is not running
          --json           with --status: the same as one JSON document
          --help           print this text
          --version        print the version

        Reads:
          DIR/{SettingsLoader.ApacheConfName}, then DIR/{SettingsLoader.SiteConfName}
                                       PerlSetVar settings; the later definition wins
          DIR/lonc.log4net.config      optional log4net configuration of lonc.log (checked by
                                       --check-config; a broken one is reported, not followed)
          <lonTabDir>/hosts.tab        the hosts, one per line: id:domain:role:hostname:ip
          <lonSockDir>/delayed/*.<id>  delayed (critical) messages for host <id>; replayed
                                       after connecting, removed once lond answered
        Writes:
          <lonDaemons>/logs/lonc.log              event log
          <lonDaemons>/logs/lonnet.perm.log       delivered delayed messages
          <lonDaemons>/logs/lonc.pid              process id of the parent (locked while it runs)
          <lonDaemons>/logs/lonc.status.json      every host's state, kept current
          <lonDaemons>/logs/lonc_errors           stderr of the detached daemon and its children
          <lonSockDir>/<id>                       UNIX socket for host <id>
          <lonDocRoot>/lon-status/loncstatus.txt  status report (on USR1): a line per host

        Signals:
          parent  TERM, INT  close all connections, stop the children, remove lonc.pid, exit
                  HUP        stop the children and restart lonc (re-exec); refused, changing
                             nothing, when the configuration or hosts.tab has errors
                  USR1       restart the hosts that are down, write loncstatus.txt
                  USR2       read the configuration and hosts.tab again and apply them host
                             by host: start new hosts, stop removed ones, restart hosts whose
                             IP changed; every other child keeps running untouched
          child   USR1       append its status line to loncstatus.txt
                  INT, TERM  close its connections and exit

        Exit status: 0 success, 1 failure (a crash, a daemon that did not start), 64 command-line error, 78 refused
        (EX_CONFIG: the configuration, hosts.tab, the user, a directory, or lonc already running; a
        supervisor should not restart lonc until that is fixed). --check-config exits 0 or 1.

        """;

    public static string VersionText { get; } =
        $"lonc (LegacyLonc) {AssemblyVersion} (commit {SourceCommit}), wire-compatible with lonc 1.53\n";

    /// <summary>The informational version without the source-revision suffix the SDK appends after '+'.</summary>
    private static string AssemblyVersion
    {
        get
        {
            var assembly = typeof(Usage).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString()
                ?? "unknown";
            var plus = version.IndexOf('+');
            return plus < 0 ? version : version[..plus];
        }
    }

    /// <summary>
    /// The commit lonc was built from (<c>git rev-parse --short HEAD</c>, <c>-dirty</c> appended for uncommitted
    /// changes; "unknown" without git), which LegacyLonc.csproj records as assembly metadata.
    /// </summary>
    private static string SourceCommit =>
        typeof(Usage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SourceCommit")?.Value is { Length: > 0 } commit
            ? commit
            : "unknown";
}
