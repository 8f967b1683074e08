using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Docs;

/// <summary>docs/deviations.md: every row says what lonc 1.53 did, what LegacyLonc does, and why.</summary>
public class DeviationsTests
{
    [Fact]
    public void Every_row_has_the_legacy_behaviour_ours_and_a_reason()
    {
        var rows = File.ReadAllLines(Repository.PathOf("docs/deviations.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| area |", StringComparison.Ordinal))
            .ToList();

        Assert.True(rows.Count > 50, $"only {rows.Count} rows in docs/deviations.md");
        foreach (var row in rows)
        {
            var cells = row.Trim('|').Split(" | ").Select(c => c.Trim()).ToList();
            Assert.True(cells.Count == 4, $"not four cells (area, lonc 1.53, LegacyLonc, why): {row}");
            Assert.All(cells, c => Assert.False(c is "" or "—" or "-", $"an empty cell in: {row}"));
        }
    }
}
