using System.Runtime.InteropServices;

namespace LegacyLonc.Testbed;

/// <summary>
/// SIGTERM and SIGINT handed to a callback instead of ending the process, for a command that stops what it started
/// before it ends (the lond emulator, the soak).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _intr;

    public StopSignals(Action onStop)
    {
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            onStop();
        }
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public void Dispose()
    {
        _term.Dispose();
        _intr.Dispose();
    }
}
