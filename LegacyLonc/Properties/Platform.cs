// lonc is a Linux daemon: UNIX sockets, posix_spawn, /proc, signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
