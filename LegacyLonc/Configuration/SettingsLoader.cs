namespace LegacyLonc.Configuration;

/// <summary>
/// Reads <c>loncapa_apache.conf</c> then <c>loncapa.conf</c> from a configuration directory
/// (as LONCAPA::Configuration::read_conf did) and builds <see cref="LoncSettings"/>.
/// </summary>
public static class SettingsLoader
{
    /// <summary>Loads and validates the settings; throws <see cref="ConfigException"/> naming key and files.</summary>
    public static LoncSettings Load(string confDir) => throw new NotImplementedException();
}
