using System.Reflection;
using System.Text.RegularExpressions;
using LegacyLonc.Cli;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Cli;

/// <summary>
/// docs/lonc.8 renders without a warning, and its OPTIONS and EXIT STATUS cannot drift from what lonc does: the
/// options are those <c>lonc --help</c> lists, the statuses those of <see cref="ExitStatus"/>.
/// </summary>
public class ManPageTests
{
    private const string GroffRemedy = "install Debian's groff-base package (apt-get install groff-base)";
    private static readonly string ManPage = Repository.PathOf("docs/lonc.8");

    [FactWhenInstalled("groff", GroffRemedy)]
    public void Groff_renders_the_man_page_without_a_warning()
    {
        var (exit, output, errors) = ExternalProgram.Run(FactWhenInstalledAttribute.Locate("groff")!,
            new[] { "-man", "-Tutf8", "-ww", "-z", ManPage });

        Assert.True(exit == 0, output + errors);
        Assert.Equal("", errors);
    }

    [FactWhenInstalled("man", "install Debian's man-db package (apt-get install man-db)")]
    public void Man_renders_the_man_page_without_a_warning()
    {
        var (exit, output, errors) = ExternalProgram.Run(FactWhenInstalledAttribute.Locate("man")!,
            new[] { "--warnings", "-l", ManPage }, new Dictionary<string, string> { ["MANWIDTH"] = "80", ["MANPAGER"] = "cat" });

        Assert.True(exit == 0, errors);
        Assert.Equal("", errors);
        Assert.Matches(@"LON-CAPA\s+connection\s+daemon", output);
    }

    [FactWhenInstalled("groff", GroffRemedy)]
    public void The_options_are_exactly_those_lonc_help_lists()
    {
        var help = LoncOutput("--help");
        var listed = Regex.Matches(help, @"(?<![\w-])--[a-z][a-z-]*").Select(m => m.Value).ToHashSet();

        var documented = Tags(Section("OPTIONS"), @"--[a-z][a-z-]*");

        Assert.Contains("--conf-dir", listed);
        Assert.Equal(listed.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [FactWhenInstalled("groff", GroffRemedy)]
    public void The_exit_statuses_are_exactly_those_of_ExitStatus()
    {
        var statuses = typeof(ExitStatus).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => ((int)f.GetRawConstantValue()!).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var documented = Tags(Section("EXIT STATUS"), @"\d+");

        Assert.Equal(statuses.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [FactWhenInstalled("groff", GroffRemedy)]
    public void The_signals_section_names_every_signal_lonc_help_lists()
    {
        var help = LoncOutput("--help");
        var block = help[help.IndexOf("Signals:", StringComparison.Ordinal)..help.IndexOf("Exit status:", StringComparison.Ordinal)];
        var listed = Regex.Matches(block, @"\b(TERM|INT|HUP|USR1|USR2|QUIT)\b").Select(m => m.Value).ToHashSet();

        var section = Section("SIGNALS");

        Assert.Equal(5, listed.Count);
        Assert.All(listed, signal => Assert.Matches($@"\b{signal}\b", section));
    }

    private static string LoncOutput(string option)
    {
        using var p = LoncProcess.Start(TestBinaries.Lonc, option);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "lonc did not exit");
        Assert.Equal(0, p.ExitCode);
        return p.StdOut;
    }

    /// <summary>One section of the man page as groff renders it in plain ASCII (no bold, no underline).</summary>
    private static string Section(string heading)
    {
        var (exit, text, errors) = ExternalProgram.Run(FactWhenInstalledAttribute.Locate("groff")!,
            new[] { "-man", "-Tascii", "-P-c", "-P-b", "-P-o", "-P-u", ManPage });
        Assert.True(exit == 0, errors);
        var start = Regex.Match(text, $"^{heading}$", RegexOptions.Multiline);
        Assert.True(start.Success, $"no section {heading} in {ManPage}");
        var end = Regex.Match(text[(start.Index + start.Length)..], "^[A-Z]", RegexOptions.Multiline);
        return end.Success ? text.Substring(start.Index, start.Length + end.Index) : text[start.Index..];
    }

    /// <summary>The tags of a section's tagged paragraphs (.TP): <paramref name="tag"/> at the paragraph indent.</summary>
    private static HashSet<string> Tags(string section, string tag) =>
        Regex.Matches(section, $@"^ {{7}}({tag})(?=\s|$)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
}
