using System.Net;
using LegacyLonc.Configuration;

namespace LegacyLonc.Tests.Configuration;

public class HostTableTests
{
    private const string Good = "msul1:msu:library:zaphod.msu.example.edu:192.0.2.51";

    private static HostTable Parse(string text) => HostTable.Parse("hosts.tab", text);

    [Fact]
    public void Reads_every_field_and_ignores_extra_ones()
    {
        var t = Parse(Good + "\nhubl14:hub:access:pc14.example.edu:198.51.100.34:Hub University:more\n");

        Assert.Equal(2, t.Hosts.Count);
        Assert.Equal(new HostEntry("msul1", "msu", "library", "zaphod.msu.example.edu", IPAddress.Parse("192.0.2.51"), 1), t.Hosts[0]);
        Assert.Equal(("hubl14", "access", IPAddress.Parse("198.51.100.34"), 2), (t.Hosts[1].Id, t.Hosts[1].Role, t.Hosts[1].Address, t.Hosts[1].Line));
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void Skips_blank_and_comment_lines_and_keeps_line_numbers()
    {
        var t = Parse("# the network\n\n   \n  # indented comment\n" + Good + "\n\t\n");

        Assert.Equal(5, Assert.Single(t.Hosts).Line);
        Assert.Empty(t.Problems);
    }

    [Theory]
    [InlineData("msul1:msu:library:zaphod", "expected id:domain:role:hostname:ip, found 4 fields")]
    [InlineData("msul1", "expected id:domain:role:hostname:ip, found 1 field")]
    [InlineData(":msu:library:h:192.0.2.1", "empty host id")]
    [InlineData("a/b:msu:library:h:192.0.2.1", "host id \"a/b\" contains '/'")]
    [InlineData("a*b:msu:library:h:192.0.2.1", "host id \"a*b\" contains '*'")]
    [InlineData("a b:msu:library:h:192.0.2.1", "host id \"a b\" contains a blank")]
    [InlineData(" ab:msu:library:h:192.0.2.1", "host id \" ab\" contains a blank")]
    [InlineData("a\tb:msu:library:h:192.0.2.1", "contains control character U+0009")]
    [InlineData("häst:msu:library:h:192.0.2.1", "contains 'ä'")]
    [InlineData(".hidden:msu:library:h:192.0.2.1", "host id \".hidden\" starts with '.'")]
    [InlineData("..:msu:library:h:192.0.2.1", "starts with '.'")]
    [InlineData("x:msu:library:h:", "host x: bad IP address \"\"")]
    [InlineData("x:msu:library:h:192.0.2", "host x: bad IP address \"192.0.2\"")]
    [InlineData("x:msu:library:h:192.0.2.256", "bad IP address")]
    [InlineData("x:msu:library:h:192.0.2.01", "bad IP address")]
    [InlineData("x:msu:library:h:192.0..1", "bad IP address")]
    [InlineData("x:msu:library:h:zaphod.example.edu", "bad IP address")]
    [InlineData("x:msu:library:h:1.2.3.4.5", "bad IP address")]
    [InlineData("x:msu:library:h:::1", "bad IP address")]
    public void A_malformed_line_is_reported_with_file_and_line_and_the_others_still_count(string line, string message)
    {
        var t = Parse(Good + "\n" + line + "\nmsua1:msu:access:h2:192.0.2.68\n");

        Assert.Equal(new[] { "msul1", "msua1" }, t.Hosts.Select(h => h.Id));
        var p = Assert.Single(t.Problems);
        Assert.Equal(("hosts.tab", 2), (p.File, p.Line));
        Assert.Contains(message, p.Message);
        Assert.EndsWith("; line skipped", p.Message);
    }

    [Theory]
    [InlineData("192.0.2.51\r")]
    [InlineData("192.0.2.51  ")]
    [InlineData("192.0.2.51 # main library")]
    public void Trailing_non_digits_of_the_ip_are_stripped_as_1_53_did(string ip)
    {
        var t = Parse($"msul1:msu:library:h:{ip}\n");

        Assert.Equal(IPAddress.Parse("192.0.2.51"), Assert.Single(t.Hosts).Address);
    }

    [Fact]
    public void A_crlf_file_reads_like_an_lf_file()
    {
        using var tree = new ConfTree();
        tree.Write("hosts.tab", "# comment\r\n\r\n" + Good + "\r\nmsua1:msu:access:h2:192.0.2.68:descr\r\n");

        var t = HostTable.Load(tree.HostsTab);

        Assert.Equal(new[] { ("msul1", "zaphod.msu.example.edu", 3), ("msua1", "h2", 4) }, t.Hosts.Select(h => (h.Id, h.Hostname, h.Line)));
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void The_first_of_duplicate_ids_wins_and_the_rest_are_reported()
    {
        var t = Parse(Good + "\nmsua1:msu:access:h2:192.0.2.68\nmsul1:msu:library:other:192.0.2.99\nmsul1:x:y:z:192.0.2.98\n");

        Assert.Equal(new[] { "msul1", "msua1" }, t.Hosts.Select(h => h.Id));
        Assert.Equal(IPAddress.Parse("192.0.2.51"), t.Find("msul1")!.Address);
        Assert.Equal(
            new[] { "hosts.tab:3: duplicate host id msul1 (first defined on line 1); line skipped", "hosts.tab:4: duplicate host id msul1 (first defined on line 1); line skipped" },
            t.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void A_bad_line_does_not_claim_its_id_for_a_later_good_line()
    {
        var t = Parse("msul1:msu:library:h:999.0.0.1\n" + Good + "\n");

        Assert.Equal(1, Assert.Single(t.Problems).Line);
        Assert.Equal(2, Assert.Single(t.Hosts).Line);
    }

    [Fact]
    public void The_own_host_is_listed_like_every_other_host()
    {
        using var tree = ConfTree.Minimal(hosts: "other:d:access:o:127.0.0.2\nhere:d:library:h:127.0.0.1\n");
        var settings = SettingsLoader.Load(tree.Dir);

        var t = HostTable.Load(settings);

        Assert.Equal(new[] { "other", "here" }, t.Hosts.Select(h => h.Id));
        Assert.NotNull(t.Find(settings.LonHostId));
    }

    [Fact]
    public void An_unreadable_hosts_tab_throws_a_config_error_naming_the_file()
    {
        using var tree = new ConfTree();

        var e = Assert.Throws<ConfigException>(() => HostTable.Load(tree.HostsTab));

        Assert.Equal($"{tree.HostsTab}: cannot read: no such file", e.Message);
    }

    [Fact]
    public void A_host_whose_socket_path_exceeds_the_AF_UNIX_limit_is_reported_and_skipped()
    {
        using var tree = ConfTree.Minimal();
        var sockDir = "/" + new string('s', 99);  // "/sss…/" is 101 bytes: ids up to 6 bytes fit in 107
        File.AppendAllText(tree.SiteConf, $"PerlSetVar lonSockDir {sockDir}\n");
        tree.Write("hosts.tab", "six666:d:r:h:127.0.0.1\nseven77:d:r:h:127.0.0.2\n");

        var t = HostTable.Load(SettingsLoader.Load(tree.Dir));

        Assert.Equal("six666", Assert.Single(t.Hosts).Id);
        var p = Assert.Single(t.Problems);
        Assert.Equal((tree.HostsTab, 2), (p.File, p.Line));
        Assert.Contains($"socket path {sockDir}/seven77 is 108 bytes, AF_UNIX allows 107", p.Message);
    }

    [Fact]
    public void Skipped_lines_name_the_ids_they_claim_so_a_reload_can_keep_those_hosts()
    {
        var t = HostTable.Parse("/t/hosts.tab",
            "a:d:r:h:127.0.0.1\nb:d:r:h:127.0.0.300\nc:d\n\n# x\na:d:r:h:127.0.0.9\nbad id:d:r:h:127.0.0.2\n:d:r:h:127.0.0.3\n");

        Assert.Equal(new[] { "a" }, t.Hosts.Select(h => h.Id));
        // A duplicate claims nothing: its id is listed anyway; an empty id claims nothing either.
        Assert.Equal(new[] { "b", "bad id", "c" }, t.SkippedIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_host_skipped_for_its_socket_path_is_among_the_skipped_ids()
    {
        using var tree = ConfTree.Minimal();
        File.AppendAllText(tree.SiteConf, $"PerlSetVar lonSockDir /{new string('s', 99)}\n");
        tree.Write("hosts.tab", "seven77:d:r:h:127.0.0.2\n");

        Assert.Contains("seven77", HostTable.Load(SettingsLoader.Load(tree.Dir)).SkippedIds);
    }
}
