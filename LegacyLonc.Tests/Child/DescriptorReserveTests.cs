using LegacyLonc.Child;

namespace LegacyLonc.Tests.Child;

public class DescriptorReserveTests
{
    [Theory]
    [InlineData(128, 72, 24)]
    [InlineData(20000, 70, 19898)]
    [InlineData(64, 72, 1)]
    [InlineData(int.MaxValue, 70, int.MaxValue - 102)]
    public void Clients_get_what_the_limit_leaves_after_the_descriptors_in_use_and_the_reserve(int limit, int inUse, int expected)
    {
        Assert.Equal(expected, new DescriptorReserve(limit, inUse).MaxClients);
    }

    [Fact]
    public void This_process_has_a_limit_and_open_descriptors()
    {
        var here = DescriptorReserve.Measure();
        Assert.True(here.InUse > 3, $"{here.InUse} descriptors open");
        Assert.True(here.Limit > here.InUse);
    }
}
