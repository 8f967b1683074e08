using System.Text.Json;
using LegacyLonc.Tests.Support;

namespace LegacyLonc.Tests.Parent;

/// <summary>
/// <c>lonc --status</c> only reads the status the running parent keeps: no signal, no restart, no counter reset; every
/// host of the running configuration with its child's pid, state, next attempt and the last failure its child logged.
/// </summary>
public class StatusCommandTests
{
    private static LoncProcess Status(ParentHarness h, params string[] more)
    {
        var p = h.Sandbox.Own(LoncProcess.Start(TestBinaries.Lonc, new[] { "--status", "--conf-dir", h.Sandbox.ConfDir }.Concat(more).ToArray()));
        Assert.True(p.WaitForExit(ParentHarness.Patience), "lonc --status ends");
        return p;
    }

    private static JsonElement Host(JsonDocument status, string host) =>
        status.RootElement.GetProperty("hosts").EnumerateArray().Single(e => e.GetProperty("host").GetString() == host);

    /// <summary>Polls <c>--status --json</c> until <paramref name="ready"/> holds for it.</summary>
    private static JsonDocument AwaitStatus(ParentHarness h, Func<JsonDocument, bool> ready, string what)
    {
        JsonDocument? last = null;
        Eventually.Assert(() =>
        {
            var p = Status(h, "--json");
            last = p.ExitCode == 0 ? JsonDocument.Parse(p.StdOut) : null;
            return last is not null && ready(last);
        }, ParentHarness.Patience, what, () => h.Detail() + "\n--- status ---\n" + (last?.RootElement.ToString() ?? "(none)"));
        return last!;
    }

    [Fact]
    public void Polling_the_status_changes_nothing_and_shows_why_a_skipped_host_is_down()
    {
        using var h = ParentHarness.ServingH1WithH2Down(maxAttempts: 1, failSleepSpread: 1);
        h.WaitLog("WARNING: Skipped h2 ");
        var json = AwaitStatus(h, s => Host(s, "h2").GetProperty("state").GetString() == "skipped", "h2 skipped in the status");
        var starts = h.Count("Attempting to start child for server h2");

        var polls = Enumerable.Range(0, 3).Select(_ => Status(h)).ToList();

        Assert.All(polls, p => Assert.Equal(0, p.ExitCode));
        Assert.Equal(0, h.Count("USR1"));
        Assert.Equal(starts, h.Count("Attempting to start child for server h2"));
        Assert.Equal(json.RootElement.GetProperty("parent").GetInt32(), h.Pid);
        var h1 = Host(json, "h1");
        Assert.Equal(h.ChildFor("h1"), h1.GetProperty("pid").GetInt32());
        Assert.Equal("serving", h1.GetProperty("state").GetString());
        var h2 = Host(json, "h2");
        Assert.Equal(JsonValueKind.Null, h2.GetProperty("pid").ValueKind);
        Assert.Equal(1, h2.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, h2.GetProperty("next_attempt").ValueKind);
        Assert.Matches("^Couldn't connect to h2 \\(\\d+ secs\\): .+", h2.GetProperty("last_error").GetString());
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", h2.GetProperty("since").GetString());

        var lines = polls[^1].StdOut.Split('\n');
        Assert.Equal($"lonc (pid {h.Pid}): 2 hosts: 1 serving, 1 skipped", lines[0]);
        Assert.Matches(@"^HOST +PID +STATE +SINCE +NEXT ATTEMPT +LAST ERROR$", lines[2]);
        Assert.Matches($@"^h1 +{h.ChildFor("h1")} +serving +\w{{3}} \w{{3}} .+ \d{{4}} +-$", lines[3]);
        Assert.Matches(@"^h2 +- +skipped after 1 attempt +\w{3} \w{3} .+ \d{4} +on USR1 +Couldn't connect to h2 \(\d+ secs\): ", lines[4]);

        // A typo on disk, which the running lonc never took, does not hide its status.
        File.AppendAllText(Path.Combine(h.Sandbox.ConfDir, "loncapa.conf"), "PerlSetVar loncFailSleepMin abc\n");
        Assert.Equal(polls[^1].StdOut, Status(h).StdOut);
    }

    [Fact]
    public void A_sleeping_child_is_shown_with_its_pid_its_reason_and_when_the_next_attempt_is_due()
    {
        using var h = new ParentHarness(2, new Dictionary<string, string>
        {
            ["loncFailSleepMin"] = "100",
            ["loncFailSleepSpread"] = "1",
        }, lond: false);
        h.StartLondFor("h1");
        h.StartServing(onlyHosts: new[] { "h1" });

        var json = AwaitStatus(h, s => Host(s, "h2").GetProperty("state").GetString() == "sleeping", "h2 sleeping in the status");

        var h2 = Host(json, "h2");
        var pid = h2.GetProperty("pid").GetInt32();
        Assert.Contains(pid, h.Children());
        Assert.Matches("^Couldn't connect to h2 \\(100 secs\\): .+", h2.GetProperty("last_error").GetString());
        var since = DateTimeOffset.Parse(h2.GetProperty("since").GetString()!);
        var next = DateTimeOffset.Parse(h2.GetProperty("next_attempt").GetString()!);
        Assert.InRange((next - since).TotalSeconds, 99, 101);
        Assert.Equal(0, h2.GetProperty("attempts").GetInt32());
        Assert.Matches($@"\nh2 +{pid} +sleeping after failure +", Status(h).StdOut);
    }

    [Fact]
    public void Json_is_an_option_of_status_only()
    {
        Assert.True(LegacyLonc.Cli.LoncOptions.Parse(new[] { "--status", "--json" }).Json);
        var e = Assert.Throws<LegacyLonc.Cli.UsageException>(() => LegacyLonc.Cli.LoncOptions.Parse(new[] { "--json" }));
        Assert.Equal("option --json goes with --status", e.Message);
    }

    [Fact]
    public void Against_a_stopped_daemon_it_says_so_and_exits_1()
    {
        using var h = new ParentHarness(1, lond: false);

        var p = Status(h);

        Assert.Equal(1, p.ExitCode);
        Assert.Equal("", p.StdOut);
        Assert.Contains($"lonc: lonc is not running (no live process named in {h.Sandbox.Builder.PidFile})", p.StdErr);
    }

    [Fact]
    public void A_pid_file_naming_another_process_gets_no_status_and_that_process_no_signal()
    {
        using var h = new ParentHarness(1, lond: false);
        using var sleeper = h.Sandbox.Own(LoncProcess.Start("/bin/sleep", "60"));
        File.WriteAllText(h.Sandbox.Builder.PidFile, $"{sleeper.Pid}\n");

        var p = Status(h, "--json");

        Assert.Equal(1, p.ExitCode);
        Assert.Equal("", p.StdOut);
        Assert.Contains($"process {sleeper.Pid} named in {h.Sandbox.Builder.PidFile} has written no ", p.StdErr);
        Assert.False(sleeper.HasExited);
    }
}
