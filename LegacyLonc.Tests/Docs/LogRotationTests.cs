using System.Text;
using System.Text.RegularExpressions;
using LegacyLonc.Logging;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Docs;

/// <summary>
/// The logrotate rule docs/admin-guide.md gives for installations without loncron, run by logrotate itself on a
/// temporary <c>logs/</c>: it rotates both files by rename, and lonc's next line starts each file anew.
/// </summary>
public sealed class LogRotationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ll-rot-" + Guid.NewGuid().ToString("N")[..10]);

    public LogRotationTests() => Directory.CreateDirectory(Path.Combine(_root, "logs"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [FactWhenInstalled("logrotate", "install Debian's logrotate package (apt-get install logrotate)")]
    public void The_documented_rule_rotates_both_logs_and_lonc_writes_on_into_new_files()
    {
        var guide = File.ReadAllText(Repository.PathOf("docs/admin-guide.md"));
        var rule = Regex.Match(guide, "```\n(/home/httpd/perl/logs/lonc.log \\{.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.NotEmpty(rule);
        // The rule as documented, on this directory and for the user running the test (su/create name www).
        var local = rule.Replace("/home/httpd/perl", _root, StringComparison.Ordinal);
        local = Regex.Replace(local, @"^\s*su .*\n", "", RegexOptions.Multiline);
        local = Regex.Replace(local, @"create (\d+) \S+ \S+", "create $1");
        var conf = Path.Combine(_root, "logrotate.conf");
        File.WriteAllText(conf, local);
        var lonc = Path.Combine(_root, "logs", "lonc.log");
        var perm = Path.Combine(_root, "logs", "lonnet.perm.log");
        foreach (var log in new[] { lonc, perm })
            Assert.Null(AppendOnlyFile.TryAppend(log, Encoding.UTF8.GetBytes(new string('x', 41 * 1024) + "\nbefore\n")));

        var (exit, output, errors) = ExternalProgram.Run(FactWhenInstalledAttribute.Locate("logrotate")!,
            new[] { "--force", "--state", Path.Combine(_root, "state"), conf });
        Assert.True(exit == 0, output + errors);

        foreach (var log in new[] { lonc, perm })
        {
            Assert.EndsWith("before\n", File.ReadAllText(log + ".1"));
            Assert.Null(AppendOnlyFile.TryAppend(log, "after\n"u8));
            Assert.Equal("after\n", File.ReadAllText(log));
        }
    }
}
