using LegacyLonc.Configuration;
using LegacyLonc.Parent;

namespace LegacyLonc.Tests.Parent;

public class HostTableChangeTests
{
    private static HostTable Parse(string text) => HostTable.Parse("/t/hosts.tab", text);

    [Fact]
    public void Sorts_hosts_into_added_removed_changed_and_untouched()
    {
        var running = Parse("a:d:r:a.x:10.0.0.1\nb:d:r:b.x:10.0.0.2\nc:d:r:c.x:10.0.0.3\n").Hosts;
        // a untouched (another hostname and role do not matter), b removed, c moved, n new.
        var next = Parse("n:d:r:n.x:10.0.0.9\na:d:access:other.x:10.0.0.1\nc:d:r:c.x:10.0.0.33\n");

        var change = HostTableChange.Between(running, next);

        Assert.Equal(new[] { "n" }, change.Added.Select(h => h.Id));
        Assert.Equal(new[] { "b" }, change.Removed);
        Assert.Equal(new[] { ("c", "10.0.0.33") }, change.Changed.Select(h => (h.Id, h.Address.ToString())));
        Assert.Empty(change.KeptMalformed);
        Assert.Equal(new[] { "n", "a", "c" }, change.Table.Select(h => h.Id));
        Assert.False(change.IsEmpty);
    }

    [Fact]
    public void A_running_host_whose_line_became_malformed_is_kept_as_it_runs()
    {
        var running = Parse("a:d:r:a.x:10.0.0.1\nb:d:r:b.x:10.0.0.2\n").Hosts;
        var next = Parse("a:d:r:a.x:10.0.0.1\nb:d:r:b.x:10.0.0.299\n");

        var change = HostTableChange.Between(running, next);

        Assert.Empty(change.Removed);
        Assert.Equal(new[] { "b" }, change.KeptMalformed);
        Assert.Equal(new[] { ("a", "10.0.0.1"), ("b", "10.0.0.2") }, change.Table.Select(h => (h.Id, h.Address.ToString())));
        Assert.True(change.IsEmpty);
    }

    [Fact]
    public void The_same_table_changes_nothing()
    {
        var text = "a:d:r:a.x:10.0.0.1\nb:d:r:b.x:10.0.0.2\n";
        var change = HostTableChange.Between(Parse(text).Hosts, Parse(text));
        Assert.True(change.IsEmpty);
        Assert.Equal(new[] { "a", "b" }, change.Table.Select(h => h.Id));
    }
}
