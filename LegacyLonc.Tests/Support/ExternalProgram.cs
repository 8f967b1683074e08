using System.Diagnostics;

namespace LegacyLonc.Tests.Support;

/// <summary>
/// Runs a program to completion (bounded), with extra environment variables: perl as an oracle, the testbed
/// as a writer. Long-running daemons go through <see cref="LoncProcess"/> instead.
/// </summary>
public static class ExternalProgram
{
    /// <summary>Runs <paramref name="exe"/> to its end; a run longer than <paramref name="timeoutSeconds"/> is killed and fails the test.</summary>
    public static (int Exit, string Out, string Err) Run(string exe, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        if (environment != null)
            foreach (var (k, v) in environment)
                psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{exe} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
