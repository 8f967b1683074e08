using Mono.Unix.Native;

namespace LegacyLonc.Posix;

/// <summary>Whether this process runs as a given account (lonc's "Check user ID").</summary>
public static class EffectiveUser
{
    /// <summary>
    /// Null when the effective uid is that of <paramref name="userName"/>; otherwise a one-line
    /// explanation (unknown account, or who we run as instead).
    /// </summary>
    public static string? Mismatch(string userName)
    {
        var euid = Syscall.geteuid();
        var wanted = Syscall.getpwnam(userName);
        if (wanted is null)
            return $"there is no user '{userName}'";
        if (wanted.pw_uid == euid)
            return null;
        var actual = Syscall.getpwuid(euid);
        return $"running as uid {euid}{(actual is null ? "" : $" ({actual.pw_name})")}, not {userName} (uid {wanted.pw_uid})";
    }
}
