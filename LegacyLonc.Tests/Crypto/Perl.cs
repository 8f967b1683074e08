using System.Diagnostics;

namespace LegacyLonc.Tests.Crypto;

/// <summary>Runs a Perl one-liner for cross-checks against the real <c>tr</c>/<c>pack</c>; absent Perl skips those tests.</summary>
public static class Perl
{
    private static readonly Lazy<bool> Present = new(() => Run("print 1") == "1");

    public static bool Available => Present.Value;

    /// <summary>Stdout of <c>perl -e script args...</c>, or null when Perl is missing, fails or takes over 20 s.</summary>
    public static string? Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("perl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add(script);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(20000))
            {
                p.Kill();
                return null;
            }
            return p.ExitCode == 0 ? output.Result : null;
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
