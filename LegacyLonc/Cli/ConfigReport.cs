namespace LegacyLonc.Cli;

/// <summary><c>lonc --check-config</c>: prints effective settings and hosts, reports every problem; exit 0/1.</summary>
public static class ConfigReport
{
    public static int Run(LoncOptions options, TextWriter output, TextWriter errors) => throw new NotImplementedException();
}
