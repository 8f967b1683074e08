namespace LegacyLonc.Testbed;

/// <summary>lond's answer to <c>ekey</c> (spec §6.2): the random string both ends mix into the link key.</summary>
public static class LondBuildKey
{
    /// <summary>
    /// <c>time . $$ . int(rand 100000)</c> with <c>tr/1-6/A-F/</c>, wrapped in two more <c>int(rand 100000)</c>
    /// (which keep their digits 1–6): 14–30 characters of <c>[0-9A-F]</c>.
    /// </summary>
    public static string Create(long epochSeconds, int pid, Random random)
    {
        var inner = $"{epochSeconds}{pid}{random.Next(100000)}".ToCharArray();
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] is >= '1' and <= '6')
                inner[i] = (char)('A' + (inner[i] - '1'));
        }
        return $"{random.Next(100000)}{new string(inner)}{random.Next(100000)}";
    }
}
