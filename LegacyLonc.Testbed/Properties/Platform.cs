// lonc-testbed drives a Linux daemon: UNIX sockets, signals, and lonc's own (Linux-only) cipher types.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
