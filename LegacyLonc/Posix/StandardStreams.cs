using System.Text;

namespace LegacyLonc.Posix;

/// <summary>
/// The detached daemon's standard streams: stdin and stdout on <c>/dev/null</c>, stderr appended to a file
/// (<c>&lt;lonDaemons&gt;/logs/lonc_errors</c>, where loncron looks), so that the launcher's terminal, pipe or ssh
/// session is let go and a crash trace is still kept. Children spawned afterwards inherit all three.
/// </summary>
/// <remarks>
/// <para>Both files are opened by <see cref="Open"/> while the launcher still listens on stderr, so a failure to open
/// them is reported there; <see cref="Take"/> then only moves descriptors, which cannot fail for want of a file.</para>
/// <para>.NET's <c>Console.Out</c> and <c>Console.Error</c> write to duplicates of descriptors 1 and 2 that they make
/// on first use, which would keep the launcher's pipe open behind the dup2. So a process that is to take over its
/// streams first binds the console to descriptors 1 and 2 themselves (<see cref="BindConsole"/>).</para>
/// </remarks>
public sealed class StandardStreams
{
    private const int StdIn = 0, StdOut = 1, StdErr = 2;
    private readonly int _null;
    private readonly int _errors;

    private StandardStreams(int devNull, int errors)
    {
        _null = devNull;
        _errors = errors;
    }

    /// <summary>
    /// Makes <c>Console.Out</c> and <c>Console.Error</c> write to descriptors 1 and 2 themselves (plain write(2),
    /// unbuffered), so that they follow <see cref="Take"/>. Called before anything has used the console.
    /// </summary>
    public static void BindConsole()
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Console.SetOut(new StreamWriter(new DescriptorStream(StdOut), utf8) { AutoFlush = true });
        Console.SetError(new StreamWriter(new DescriptorStream(StdErr), utf8) { AutoFlush = true });
    }

    /// <summary>Opens <c>/dev/null</c> and <paramref name="errorsPath"/> (append, created 0644); null with the reason.</summary>
    public static StandardStreams? Open(string errorsPath, out string? failure)
    {
        var devNull = RawFile.Open("/dev/null", Libc.O_RDWR | RawFile.CloseOnExec, 0, out var errno);
        if (devNull < 0)
        {
            failure = $"cannot open /dev/null: {SystemErrorText.Errno(errno)}";
            return null;
        }
        var errors = RawFile.Open(errorsPath, RawFile.WriteOnly | RawFile.Create | RawFile.Append | RawFile.CloseOnExec | RawFile.NoFollow,
            RawFile.ReadableByAll, out errno);
        if (errors < 0)
        {
            RawFile.Close(devNull);
            failure = $"cannot open {errorsPath}: {SystemErrorText.Errno(errno)}";
            return null;
        }
        failure = null;
        return new StandardStreams(devNull, errors);
    }

    /// <summary>Makes descriptors 0 and 1 <c>/dev/null</c> and 2 the errors file (dup2 leaves them inheritable).</summary>
    public void Take()
    {
        Libc.Dup2(_null, StdIn);
        Libc.Dup2(_null, StdOut);
        Libc.Dup2(_errors, StdErr);
        RawFile.Close(_null);
        RawFile.Close(_errors);
    }

    /// <summary>A write-only stream on a descriptor it does not own: every write is write(2) on it, whatever it is now.</summary>
    private sealed class DescriptorStream(int fd) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        // A failed write to stderr has nobody left to tell; the line is dropped rather than crash the daemon.
        public override void Write(byte[] buffer, int offset, int count) => RawFile.WriteAll(fd, buffer.AsSpan(offset, count), out _);

        public override void Write(ReadOnlySpan<byte> buffer) => RawFile.WriteAll(fd, buffer, out _);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
