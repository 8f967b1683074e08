namespace LegacyLonc.Tests.Configuration;

/// <summary>A throw-away configuration directory for one test; removed on dispose.</summary>
public sealed class ConfTree : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("llconf-").FullName;

    public string PathOf(string name) => Path.Combine(Dir, name);

    public string ApacheConf => PathOf("loncapa_apache.conf");
    public string SiteConf => PathOf("loncapa.conf");
    public string HostsTab => PathOf("hosts.tab");

    public ConfTree Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return this;
    }

    /// <summary>A complete minimal configuration (hosts.tab in this directory) plus <paramref name="siteExtra"/> lines in loncapa.conf.</summary>
    public static ConfTree Minimal(string siteExtra = "", string hosts = "here:dom:library:here.example.edu:127.0.0.1\n")
    {
        var tree = new ConfTree();
        tree.Write("loncapa_apache.conf",
            $"PerlSetVar lonDaemons {tree.Dir}/daemons\n" +
            $"PerlSetVar lonSockDir {tree.Dir}/sockets\n" +
            $"PerlSetVar lonTabDir {tree.Dir}\n" +
            $"PerlSetVar lonDocRoot {tree.Dir}/html\n");
        tree.Write("loncapa.conf", "PerlSetVar lonHostID here\nPerlSetVar londPort 5663\n" + siteExtra);
        tree.Write("hosts.tab", hosts);
        return tree;
    }

    /// <summary>
    /// Creates the directories a <see cref="Minimal"/> configuration names (<c>daemons/logs</c>,
    /// <c>sockets/delayed</c>, <c>html</c>), so that <c>--check-config</c> finds what start-up needs.
    /// </summary>
    public ConfTree WithDirectories()
    {
        foreach (var dir in new[] { "daemons/logs", "sockets/delayed", "html" })
            Directory.CreateDirectory(PathOf(dir));
        // lonc's directories must not be writable by group or others, whatever the test runner's umask.
        foreach (var dir in new[] { "daemons/logs", "sockets", "sockets/delayed" })
            File.SetUnixFileMode(PathOf(dir), (UnixFileMode)0x1ED);
        return this;
    }

    /// <summary>A copy of the repository's sample <c>etc/</c> directory.</summary>
    public static ConfTree Sample()
    {
        var tree = new ConfTree();
        foreach (var file in Directory.GetFiles(SampleDir))
            File.Copy(file, tree.PathOf(Path.GetFileName(file)));
        return tree;
    }

    /// <summary>The repository's <c>etc/</c>, found by walking up from the test binaries to the solution file.</summary>
    public static string SampleDir
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LegacyLonc.sln")))
                    return Path.Combine(dir.FullName, "etc");
            throw new DirectoryNotFoundException("repository root (LegacyLonc.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
