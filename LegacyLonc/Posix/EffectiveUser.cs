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
        var euid = UnixAccount.EffectiveUid;
        if (UnixAccount.Find(userName) is not { } wanted)
            return $"there is no user '{userName}'";
        if (wanted.Uid == euid)
            return null;
        var actual = UnixAccount.NameOf(euid);
        return $"running as uid {euid}{(actual == $"{euid}" ? "" : $" ({actual})")}, not {userName} (uid {wanted.Uid})";
    }
}
