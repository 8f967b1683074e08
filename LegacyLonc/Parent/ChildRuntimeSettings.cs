namespace LegacyLonc.Parent;

/// <summary>
/// Runtime settings for the images the parent spawns (the per-host children, the detached daemon, the HUP
/// re-exec), handed down through the environment: the runtime reads <c>DOTNET_*</c> before any managed code
/// runs. An administrator's own value of any of them wins.
/// </summary>
/// <remarks>
/// <para><b>GC budget</b> (Native AOT and JIT alike). With the defaults a child relaying lonnet traffic grew from
/// ~12 to ~29 MiB RSS (native; 31 MiB PSS with the JIT build): the gen0 budget follows the CPU's cache size and
/// every GC region it walks through stays dirty. A 512 KiB gen0 budget in 1 MiB regions keeps a busy native child
/// near 14 MiB RSS at no measurable cost in throughput (docs/benchmarks.md). The values are hexadecimal
/// <em>without</em> a <c>0x</c>: the JIT runtime accepts both, Native AOT's reads <c>0x80000</c> as no value at all
/// and keeps its default budget.</para>
/// <para><b>No diagnostics files</b> (JIT builds only). A JIT-compiled .NET process opens <c>clr-debug-pipe-*</c> and
/// <c>dotnet-diagnostic-*</c> in <c>$TMPDIR</c> and removes them at a normal exit; a child killed with
/// <c>kill -9</c> left them for good. The native lonc has no debugger or diagnostics server and creates none;
/// the setting keeps a JIT or ReadyToRun build's children clean too.</para>
/// <para>Tiered compilation (the <c>CallCountingDelayMs</c> in LegacyLonc.csproj) does not exist under Native
/// AOT: everything is compiled before it runs.</para>
/// </remarks>
public static class ChildRuntimeSettings
{
    public static readonly IReadOnlyList<(string Name, string Value)> Defaults = new[]
    {
        ("DOTNET_GCgen0size", "80000"),
        ("DOTNET_GCRegionSize", "100000"),
        ("DOTNET_EnableDiagnostics", "0"),
    };

    /// <summary>Sets each default that the environment does not already define (spawned images inherit it).</summary>
    public static void Apply()
    {
        foreach (var (name, value) in Defaults)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
                Environment.SetEnvironmentVariable(name, value);
        }
    }
}
