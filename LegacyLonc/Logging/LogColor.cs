namespace LegacyLonc.Logging;

/// <summary>The HTML colour marker lonc 1.53 wrapped around a log message; loncron's page shows it.</summary>
public enum LogColor { None, Red, Blue, Green, Yellow }
