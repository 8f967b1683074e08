using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Docs;

/// <summary>
/// scripts/bench is a short driver over its section files, with every target in one data file that
/// docs/benchmarks.md reports, and no build frozen in: a comparison takes its builds as arguments.
/// </summary>
public class BenchTests
{
    private static readonly string SectionDir = Repository.PathOf("scripts/bench.d");

    private static IEnumerable<(string Key, string Measure)> Targets() =>
        File.ReadAllLines(Path.Combine(SectionDir, "targets.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(f => (f[0], f[3]));

    [Fact]
    public void The_driver_is_short_and_every_section_file_names_its_order_and_name()
    {
        Assert.True(File.ReadAllLines(Repository.PathOf("scripts/bench")).Length <= 150, "scripts/bench is over 150 lines");
        var sections = Directory.GetFiles(SectionDir, "*.sh")
            .Select(f => File.ReadLines(f).FirstOrDefault(l => l.StartsWith("# section: ", StringComparison.Ordinal)))
            .Where(l => l is not null)
            .Select(l => Regex.Match(l!, @"^# section: (\d+) ([a-z0-9-]+) - ").Groups[2].Value)
            .ToList();

        Assert.Equal(new[] { "logging", "memory", "native", "relay", "soak", "startup" }, sections.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_target_a_section_names_is_in_targets_tsv_once()
    {
        var keys = Targets().Select(t => t.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());

        var named = Directory.GetFiles(SectionDir, "*.sh")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\btarget ""?([a-z0-9_.$-]+)").Select(m => m.Groups[1].Value))
            .ToList();
        Assert.NotEmpty(named);
        // Keys built from a row ("relay.d8_c.$key") are checked by their stem.
        foreach (var key in named)
        {
            var stem = key.Split('$')[0];
            Assert.True(keys.Any(k => k.StartsWith(stem, StringComparison.Ordinal)), $"target {key} is not in scripts/bench.d/targets.tsv");
        }
    }

    [Fact]
    public void Docs_benchmarks_reports_every_target()
    {
        var doc = File.ReadAllText(Repository.PathOf("docs/benchmarks.md"));

        var missing = Targets().Where(t => !doc.Contains(t.Measure, StringComparison.Ordinal)).Select(t => t.Measure).ToList();

        Assert.True(missing.Count == 0, "targets without a line in docs/benchmarks.md:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void No_commit_is_frozen_into_the_bench()
    {
        var files = Directory.GetFiles(SectionDir).Append(Repository.PathOf("scripts/bench"));
        var frozen = files.SelectMany(f => File.ReadAllLines(f)
                .Where(l => Regex.IsMatch(l, @"(?<![\w/.-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![\w/.-])"))
                .Select(l => $"{Path.GetFileName(f)}: {l.Trim()}"))
            .ToList();

        Assert.True(frozen.Count == 0, "a commit id in the bench (give builds as --old DIR --new DIR instead):\n" + string.Join('\n', frozen));
    }
}
