using System.Diagnostics;
using System.Text;

namespace LegacyLonc.Tests.Support;

/// <summary>
/// A lonc (or lonc-testbed) process started by a test, with its stdout/stderr captured.
/// Killed with SIGKILL on dispose if it is still running, so no test leaves a daemon behind.
/// </summary>
public sealed class LoncProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private LoncProcess(Process p)
    {
        _process = p;
    }

    public static LoncProcess Start(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        var p = new Process { StartInfo = psi };
        var lp = new LoncProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (lp._out) lp._out.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (lp._err) lp._err.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return lp;
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string StdOut { get { lock (_out) return _out.ToString(); } }
    public string StdErr { get { lock (_err) return _err.ToString(); } }

    /// <summary>Waits for exit up to <paramref name="timeout"/>; true if it exited.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
