namespace LegacyLonc.Configuration;

/// <summary>A configuration problem that stops lonc from starting; the message names the key/line and the files read.</summary>
public sealed class ConfigException(string message) : Exception(message);
