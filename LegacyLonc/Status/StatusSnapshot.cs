using System.Globalization;
using System.Text.Json;

namespace LegacyLonc.Status;

/// <summary>One host of the running configuration, as the parent knows it.</summary>
/// <param name="Host">The hosts.tab id.</param>
/// <param name="Pid">Its child, serving, starting or sleeping after a failure; null when it has none.</param>
/// <param name="State">One of <see cref="StatusSnapshot.StateNames"/>.</param>
/// <param name="Since">Since when it is in that state (Unix seconds).</param>
/// <param name="Attempts">Restarts counted against <c>loncChildMaxAttempts</c> (with backoff: consecutive failures).</param>
/// <param name="NextAttempt">When its next child is due (Unix seconds), or null when none is scheduled.</param>
/// <param name="LastError">The last failure its child reported (or how the child ended), or null.</param>
public sealed record HostStatus(string Host, int? Pid, string State, long Since, int Attempts, long? NextAttempt, string? LastError);

/// <summary>
/// The status the parent keeps current in <c>&lt;lonDaemons&gt;/logs/lonc.status.json</c> on every change, so that
/// <c>lonc --status</c> only reads: one JSON document with the parent's pid and every host of the running
/// configuration in hosts.tab order. Times are UTC, ISO 8601. Pure: the model, its JSON and back.
/// </summary>
/// <remarks>
/// It lives apart from the parent that writes it so that the command line, which only reads it, needs nothing of
/// the parent (the parent depends on the command line's options and checks, never the other way round).
/// </remarks>
public sealed record StatusSnapshot(int Parent, IReadOnlyList<HostStatus> Hosts)
{
    /// <summary>The file's name in the log directory.</summary>
    public const string FileName = "lonc.status.json";

    /// <summary>A child was spawned (or is due) and has not reported <c>online</c> yet.</summary>
    public const string Starting = "starting";
    /// <summary>Its child serves.</summary>
    public const string Serving = "serving";
    /// <summary>Its child failed and sleeps before it exits (1.53's fail sleep).</summary>
    public const string Sleeping = "sleeping";
    /// <summary>No child; a restart is scheduled after the backoff delay.</summary>
    public const string BackingOff = "backing_off";
    /// <summary>No child; its attempts are used up and it waits for USR1.</summary>
    public const string Skipped = "skipped";

    /// <summary>Every state name a document may hold (the parent's <c>HostState</c>s, as the parent names them).</summary>
    public static IReadOnlyList<string> StateNames { get; } = new[] { Starting, Serving, Sleeping, BackingOff, Skipped };

    /// <summary>The document, UTF-8.</summary>
    public byte[] ToJson(bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            // Readable peer text (an apostrophe, non-ASCII) for monitoring; quotes and control characters are still escaped.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteNumber("parent", Parent);
            json.WriteStartArray("hosts");
            foreach (var h in Hosts)
            {
                json.WriteStartObject();
                json.WriteString("host", h.Host);
                if (h.Pid is { } pid)
                    json.WriteNumber("pid", pid);
                else
                    json.WriteNull("pid");
                json.WriteString("state", h.State);
                json.WriteString("since", Iso(h.Since));
                json.WriteNumber("attempts", h.Attempts);
                if (h.NextAttempt is { } next)
                    json.WriteString("next_attempt", Iso(next));
                else
                    json.WriteNull("next_attempt");
                if (h.LastError is { } error)
                    json.WriteString("last_error", error);
                else
                    json.WriteNull("last_error");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (indented)
            buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Parses a document <see cref="ToJson"/> wrote; <see cref="FormatException"/> for anything else.</summary>
    public static StatusSnapshot Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray());
            var root = doc.RootElement;
            var hosts = root.GetProperty("hosts").EnumerateArray().Select(h => new HostStatus(
                h.GetProperty("host").GetString() ?? throw new FormatException("host is null"),
                h.GetProperty("pid").ValueKind == JsonValueKind.Null ? null : h.GetProperty("pid").GetInt32(),
                h.GetProperty("state").GetString() is { } state && StateNames.Contains(state) ? state : throw new FormatException("unknown state"),
                Epoch(h.GetProperty("since").GetString()),
                h.GetProperty("attempts").GetInt32(),
                h.GetProperty("next_attempt").ValueKind == JsonValueKind.Null ? null : Epoch(h.GetProperty("next_attempt").GetString()),
                h.GetProperty("last_error").GetString())).ToList();
            return new StatusSnapshot(root.GetProperty("parent").GetInt32(), hosts);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static string Iso(long epoch) =>
        DateTimeOffset.FromUnixTimeSeconds(epoch).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static long Epoch(string? iso) =>
        DateTimeOffset.ParseExact(iso ?? throw new FormatException("time is null"), "yyyy-MM-dd'T'HH:mm:ss'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds();

}
