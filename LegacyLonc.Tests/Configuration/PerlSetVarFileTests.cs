using LegacyLonc.Configuration;

namespace LegacyLonc.Tests.Configuration;

public class PerlSetVarFileTests
{
    private static PerlSetVarFile Parse(string text) => PerlSetVarFile.Parse("x.conf", text);

    [Fact]
    public void Reads_PerlSetVar_lines_in_any_letter_case_and_indentation()
    {
        var f = Parse("PerlSetVar lonHostID msul1\n  perlsetvar\tlondPort   5663\nPERLSETVAR lonDaemons /home/httpd/perl\n");

        Assert.Equal(
            new[] { ("lonHostID", "msul1", 1), ("londPort", "5663", 2), ("lonDaemons", "/home/httpd/perl", 3) },
            f.Variables.Select(v => (v.Name, v.Value, v.Line)));
        Assert.Empty(f.Problems);
    }

    [Fact]
    public void Ignores_comments_and_other_directives()
    {
        var f = Parse(
            "# PerlSetVar lonHostID commented\n" +
            "   #PerlSetVar londPort 1\n" +
            "<IfModule mod_perl.c>\n" +
            "PerlModule Apache::lonnet\n" +
            "PerlSetEnv lonHostID wrong\n" +
            "</IfModule>\n" +
            "\n" +
            "PerlSetVar lonHostID right\n");

        var v = Assert.Single(f.Variables);
        Assert.Equal(("lonHostID", "right", 8), (v.Name, v.Value, v.Line));
        Assert.Empty(f.Problems);
    }

    [Fact]
    public void Quoted_values_keep_their_blanks_and_escaped_quotes()
    {
        var f = Parse("PerlSetVar a \"x y\"\nPerlSetVar b 'p  q'\nPerlSetVar c \"say \\\"hi\\\"\"\nPerlSetVar d \"\"\n");

        Assert.Equal(new[] { "x y", "p  q", "say \"hi\"", "" }, f.Variables.Select(v => v.Value));
        Assert.Empty(f.Problems);
    }

    [Fact]
    public void Crlf_line_ends_do_not_reach_the_values()
    {
        var f = Parse("PerlSetVar lonHostID msul1\r\nPerlSetVar londPort 5663\r\n");

        Assert.Equal(new[] { "msul1", "5663" }, f.Variables.Select(v => v.Value));
    }

    [Theory]
    [InlineData("PerlSetVar", "PerlSetVar: needs a name and a value")]
    [InlineData("PerlSetVar lonHostID", "PerlSetVar lonHostID: has no value")]
    [InlineData("PerlSetVar lonDocRoot /home/my docs", "PerlSetVar lonDocRoot: has 2 values")]
    [InlineData("PerlSetVar lonDocRoot \"/home/my docs", "PerlSetVar lonDocRoot: unterminated quote")]
    public void A_line_Apache_would_reject_is_reported_with_its_line_and_ignored(string line, string message)
    {
        var f = Parse("PerlSetVar lonHostID msul1\n" + line + "\n");

        Assert.Equal("msul1", Assert.Single(f.Variables).Value);
        var p = Assert.Single(f.Problems);
        Assert.Equal(("x.conf", 2), (p.File, p.Line));
        Assert.StartsWith(message, p.Message);
        Assert.EndsWith("line ignored", p.Message);
    }

    [Fact]
    public void An_unreadable_file_is_one_problem_naming_the_file()
    {
        using var tree = new ConfTree();

        var f = PerlSetVarFile.Read(tree.PathOf("absent.conf"));

        Assert.False(f.WasRead);
        Assert.Empty(f.Variables);
        Assert.Equal($"{tree.PathOf("absent.conf")}: cannot read: no such file", Assert.Single(f.Problems).ToString());
    }
}
