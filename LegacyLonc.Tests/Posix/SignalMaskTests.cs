using LegacyLonc.Posix;

namespace LegacyLonc.Tests.Posix;

public class SignalMaskTests
{
    // The mask is per thread: each test changes it on a thread of its own that ends afterwards.
    private static T OnOwnThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var t = new Thread(() =>
        {
            try { result = body(); }
            catch (Exception e) { failure = e; }
        });
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(10)));
        if (failure != null)
            throw failure;
        return result;
    }

    [Fact]
    public void Block_and_unblock_change_the_calling_threads_mask()
    {
        var (blocked, unblocked) = OnOwnThread(() =>
        {
            SignalMask.Block(10, 12);
            var b = SignalMask.Blocked();
            SignalMask.Unblock(10);
            var u = SignalMask.Blocked();
            SignalMask.Clear();
            return (b, u);
        });
        Assert.Contains(10, blocked);
        Assert.Contains(12, blocked);
        Assert.DoesNotContain(10, unblocked);
        Assert.Contains(12, unblocked);
    }

    [Fact]
    public void Clear_unblocks_everything()
    {
        var after = OnOwnThread(() =>
        {
            SignalMask.Block(1, 2, 15);
            SignalMask.Clear();
            return SignalMask.Blocked();
        });
        Assert.Empty(after);
    }
}
