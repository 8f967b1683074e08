using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Crypto;

/// <summary>Runs a Perl one-liner for cross-checks against the real <c>tr</c>/<c>pack</c>; absent Perl skips those tests.</summary>
public static class Perl
{
    private static readonly Lazy<bool> Present = new(() => Run("print 1") == "1");

    public static bool Available => Present.Value;

    /// <summary>Stdout of <c>perl -e script args...</c>, or null when Perl is missing, fails or takes over 20 s.</summary>
    public static string? Run(string script, params string[] args)
    {
        try
        {
            var (exit, output, _) = ExternalProgram.Run("perl", new[] { "-e", script }.Concat(args), timeoutSeconds: 20);
            return exit == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>A fact that is skipped (not passed silently) when Perl is not installed.</summary>
public sealed class PerlFactAttribute : FactAttribute
{
    public PerlFactAttribute()
    {
        if (!Perl.Available)
            Skip = "perl is not installed";
    }
}

/// <summary>A theory that is skipped (not failed) when Perl is not installed.</summary>
public sealed class PerlTheoryAttribute : TheoryAttribute
{
    public PerlTheoryAttribute()
    {
        if (!Perl.Available)
            Skip = "perl is not installed";
    }
}
