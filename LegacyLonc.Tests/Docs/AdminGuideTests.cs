using System.Text.RegularExpressions;
using LegacyLonc.Configuration;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Docs;

/// <summary>
/// docs/admin-guide.md cannot fall behind the code: every setting lonc reads is in its configuration reference
/// with the default the code uses, and every WARNING and CRITICAL line the code writes has a troubleshooting entry.
/// </summary>
public class AdminGuideTests
{
    private static readonly string Guide = File.ReadAllText(Repository.PathOf("docs/admin-guide.md"));

    private static string Section(string heading)
    {
        var start = Guide.IndexOf("\n## " + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/admin-guide.md has no section \"## {heading}\"");
        var end = Guide.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? Guide[start..] : Guide[start..end];
    }

    [Fact]
    public void Every_setting_is_in_the_configuration_reference_with_its_default()
    {
        var rows = Section("Configuration reference").Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        foreach (var setting in SettingsLoader.Definitions)
        {
            var row = rows.SingleOrDefault(r => r.StartsWith($"| `{setting.Name}`", StringComparison.Ordinal));
            Assert.True(row is not null, $"{setting.Name} has no row in the configuration reference of docs/admin-guide.md");
            var cells = row.Split(" | ");
            Assert.Equal(setting.Default ?? "required", cells[1]);
            if (setting.Alias is { } alias)
                Assert.Contains($"alias `{alias}`", cells[0]);
        }
        Assert.Equal(SettingsLoader.Definitions.Count, rows.Count);
    }

    [Fact]
    public void Every_warning_and_critical_line_has_a_troubleshooting_entry()
    {
        var troubleshooting = Section("Troubleshooting");
        var messages = LoggedLines.All();

        var missing = messages
            .SelectMany(m => m.Pieces.Select(p => p.Trim()).Where(p => p.Length >= 8 && !troubleshooting.Contains(p, StringComparison.Ordinal))
                .Select(p => $"{m.Where}: \"{p}\""))
            .ToList();

        Assert.True(messages.Count > 40, $"only {messages.Count} logged messages found: is the scan of LegacyLonc/ still right?");
        Assert.True(missing.Count == 0, "WARNING/CRITICAL text without an entry in docs/admin-guide.md, Troubleshooting:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void The_logrotate_rule_renames_and_names_both_logs()
    {
        var rule = Regex.Match(Section("Logs"), "```\n(/home/httpd/perl/logs/lonc.log \\{.*?)```", RegexOptions.Singleline);

        Assert.True(rule.Success, "no logrotate rule for lonc.log in docs/admin-guide.md, Logs");
        Assert.Contains("/home/httpd/perl/logs/lonnet.perm.log {", rule.Value);
        // lonc opens both files anew for every line (LoncLogTests, SharedLogFileTests): a rename needs no copy.
        Assert.DoesNotContain("copytruncate", rule.Value);
    }
}
