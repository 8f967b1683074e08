using System.Text;
using LegacyLonc.Posix;

namespace LegacyLonc.Child;

/// <summary>
/// One delayed message file read for replay: the command it holds (its first line, chomped), or why it stays where
/// it is. Only a regular file of lonc's own user, under one name, is read at all (<see cref="OwnedFile"/>): whatever
/// it holds goes to lond as this server's request.
/// </summary>
public static class SpoolFile
{
    /// <summary>Longest file read: a request line of <see cref="Limits.MaxRequestLine"/> bytes and its <c>\r\n</c>.</summary>
    public const int MaxFileBytes = Limits.MaxRequestLine + 2;

    /// <summary>What a file is, for the replay.</summary>
    public enum Status
    {
        /// <summary>A complete message: <see cref="Content.Text"/> is the command.</summary>
        Ready,
        /// <summary>Nothing in it yet, or an empty first line.</summary>
        Empty,
        /// <summary>No newline at the end: lonnet may still be writing it.</summary>
        Incomplete,
        /// <summary>Longer than <see cref="MaxFileBytes"/>, or a first line longer than a request may be.</summary>
        TooLong,
        /// <summary>Not a file only lonc's user can have made: <see cref="Content.Text"/> says why (<c>is a FIFO, …</c>).</summary>
        Untrusted,
        /// <summary>The open or the read failed: <see cref="Content.Text"/> is the reason.</summary>
        Unreadable,
    }

    /// <summary>A file's <see cref="Status"/> and its command or reason.</summary>
    public readonly record struct Content(Status Status, string Text);

    /// <summary>Reads the file at <paramref name="path"/>, which must belong to <paramref name="owner"/>.</summary>
    public static Content Read(string path, uint owner)
    {
        var opened = OwnedFile.OpenForReading(path, owner);
        if (opened.Untrusted is { } why)
            return new Content(Status.Untrusted, why);
        if (!opened.IsOpen)
            return Unreadable(opened.Errno);
        try
        {
            if (opened.Size > MaxFileBytes)
                return new Content(Status.TooLong, "");
            var buffer = new byte[opened.Size];
            var got = 0;
            while (got < buffer.Length)
            {
                var n = RawFile.Read(opened.Fd, buffer.AsSpan(got), out var errno);
                if (n < 0)
                    return Unreadable(errno);
                if (n == 0)
                    break;
                got += (int)n;
            }
            return Parse(buffer.AsSpan(0, got));
        }
        finally
        {
            RawFile.Close(opened.Fd);
        }
    }

    /// <summary>The command in a file's <paramref name="bytes"/> (Latin-1, like Perl's bytes), or why there is none.</summary>
    public static Content Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return new Content(Status.Empty, "");
        if (bytes.Length > MaxFileBytes)
            return new Content(Status.TooLong, "");
        if (bytes[^1] != (byte)'\n')
            return new Content(Status.Incomplete, "");
        var line = bytes[..bytes.IndexOf((byte)'\n')];
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (line.Length > Limits.MaxRequestLine)
            return new Content(Status.TooLong, "");
        return line.IsEmpty ? new Content(Status.Empty, "") : new Content(Status.Ready, Encoding.Latin1.GetString(line));
    }

    private static Content Unreadable(int errno) =>
        new(Status.Unreadable, SystemErrorText.Errno(errno) ?? "unknown error");
}
