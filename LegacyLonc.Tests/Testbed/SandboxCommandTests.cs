using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Testbed;

/// <summary><c>lonc-testbed sandbox</c> as a process: a tree that lonc accepts, and bad option values refused with a usage error, not a crash.</summary>
public class SandboxCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Writes_a_sandbox_and_names_each_host_socket()
    {
        var root = Path.Combine(Path.GetTempPath(), "ll-sbx-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var p = LoncProcess.Start(TestBinaries.Testbed, "sandbox", root, "--hosts", "2", "--block", "213", "--port", "18999",
                "--set", "loncPipelineDepth=4");
            Assert.True(p.WaitForExit(Wait));
            Assert.Equal(0, p.ExitCode);
            Assert.Contains($"h1 127.0.213.11 socket {root}/sockets/h1", p.StdOut);
            Assert.Contains($"h2 127.0.213.12 socket {root}/sockets/h2", p.StdOut);
            Assert.Contains("PerlSetVar loncPipelineDepth 4", File.ReadAllText(Path.Combine(root, "conf", "loncapa.conf")));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--block takes a whole number, not '127.0.210'", "--block", "127.0.210")]
    [InlineData("--hosts takes a whole number, not '-3'", "--hosts", "-3")]
    [InlineData("--port takes a whole number, not '99999999999'", "--port", "99999999999")]
    [InlineData("--hosts needs a value", "--hosts")]
    [InlineData("--set takes name=value", "--set", "loncPipelineDepth")]
    public void A_bad_option_value_is_a_usage_error(string message, params string[] options)
    {
        var root = Path.Combine(Path.GetTempPath(), "ll-sbx-" + Guid.NewGuid().ToString("N")[..8]);
        using var p = LoncProcess.Start(TestBinaries.Testbed, new[] { "sandbox", root }.Concat(options).ToArray());
        Assert.True(p.WaitForExit(Wait));
        Assert.Equal(64, p.ExitCode);
        Assert.Equal($"lonc-testbed sandbox: {message}", p.StdErr.Trim());
        Assert.False(Directory.Exists(root), "nothing is written on a usage error");
    }
}
