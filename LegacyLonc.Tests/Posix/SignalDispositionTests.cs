using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

public class SignalDispositionTests
{
    private const string Status = "Name:\tlonc\nSigPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n" +
                                  "SigIgn:\t0000000000001000\nSigCgt:\t00000003000246fe\nCapInh:\t0000000000000000\n";

    [Fact]
    public void Reads_a_mask_line()
    {
        Assert.Equal(0x3000246feUL, SignalDisposition.ParseMask(Status, "SigCgt"));
        Assert.Equal(0x1000UL, SignalDisposition.ParseMask(Status, "SigIgn"));
        Assert.Null(SignalDisposition.ParseMask(Status, "SigQueue"));
        Assert.Null(SignalDisposition.ParseMask("SigCgt:\tzz\n", "SigCgt"));
    }

    [Fact]
    public void The_test_host_catches_what_it_registered_and_not_what_it_did_not()
    {
        using var registration = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            (System.Runtime.InteropServices.PosixSignal)12, c => c.Cancel = true);
        Assert.True(SignalDisposition.Catches(Environment.ProcessId, 12));
        // SIGKILL can never be caught.
        Assert.False(SignalDisposition.Catches(Environment.ProcessId, 9));
    }

    [Fact]
    public void A_process_that_is_gone_catches_nothing()
    {
        Assert.False(SignalDisposition.Catches(int.MaxValue - 1, 10));
    }
}
