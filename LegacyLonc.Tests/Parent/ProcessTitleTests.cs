using System.Text.RegularExpressions;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

/// <summary>What ps shows for the parent and its children: <c>lonc: &lt;status&gt; &lt;localtime&gt;</c>.</summary>
public class ProcessTitleTests
{
    private const string PerlLocaltime = @"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}";

    [Fact]
    public void Parent_and_children_show_their_status_in_ps()
    {
        using var h = new ParentHarness(2);
        h.StartServing();

        Eventually.Assert(() => Regex.IsMatch(ProcessTree.CommandLine(h.Pid), $"^lonc: .+ {PerlLocaltime}$"),
            ParentHarness.Patience, "parent title in /proc/pid/cmdline", () => ProcessTree.CommandLine(h.Pid));
        Assert.StartsWith("lonc: ", ProcessTree.Comm(h.Pid));

        foreach (var host in h.Hosts)
        {
            var child = h.ChildFor(host)!.Value;
            Eventually.Assert(() => Regex.IsMatch(ProcessTree.CommandLine(child), $"^lonc: .*{host}.* {PerlLocaltime}$"),
                ParentHarness.Patience, $"title of {host}'s child", () => ProcessTree.CommandLine(child));
            Assert.StartsWith("lonc: ", ProcessTree.Comm(child));
            Assert.True(ProcessTree.Comm(child).Length <= 15);
        }
    }
}
