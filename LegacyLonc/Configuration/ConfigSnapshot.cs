using System.Net;
using System.Text.Json;

namespace LegacyLonc.Configuration;

/// <summary>
/// The configuration a parent hands a child it spawns: the effective settings the parent holds and the child's host
/// entry, as one small JSON document on the child's descriptor <see cref="Descriptor"/>. A restarted child so runs on
/// what the parent read at start or last applied (USR2, HUP), never on files edited since, as 1.53's forked
/// children did with the configuration in memory.
/// </summary>
public static class ConfigSnapshot
{
    /// <summary>The descriptor the parent places the snapshot on in every child (the report pipe is on 3).</summary>
    public const int Descriptor = 4;

    /// <summary>Where the snapshot came from, in the child's messages about it.</summary>
    public const string Origin = "the configuration from the lonc parent";

    /// <summary>The snapshot of <paramref name="settings"/> and <paramref name="host"/>, UTF-8 JSON.</summary>
    public static byte[] Serialize(LoncSettings settings, HostEntry host)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("settings");
            foreach (var (name, value) in settings.EffectiveValues)
                json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteStartObject("host");
            json.WriteString("id", host.Id);
            json.WriteString("domain", host.Domain);
            json.WriteString("role", host.Role);
            json.WriteString("hostname", host.Hostname);
            json.WriteString("address", host.Address.ToString());
            json.WriteNumber("line", host.Line);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Parses a snapshot; <see cref="ConfigException"/> when it is not one or its values do not check out.</summary>
    public static (LoncSettings Settings, HostEntry Host) Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray());
            var root = doc.RootElement;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in root.GetProperty("settings").EnumerateObject())
                values[p.Name] = p.Value.GetString() ?? "";
            var settings = SettingsLoader.FromValues(values, Origin);
            var h = root.GetProperty("host");
            var host = new HostEntry(Text(h, "id"), Text(h, "domain"), Text(h, "role"), Text(h, "hostname"),
                IPAddress.Parse(Text(h, "address")), h.GetProperty("line").GetInt32());
            return (settings, host);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ConfigException(new[] { new Diagnostic(Origin, 0, $"not a configuration snapshot ({e.GetType().Name})") });
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null");
}
