using System.Net.Sockets;
using System.Text;
using LegacyLonc.Child;

namespace LegacyLonc.Parent;

/// <summary>
/// The first half of 1.53's <c>hangup()</c>: lonc's own <c>subreply("exit", host)</c> for every child —
/// connect to the child's UNIX socket, send <c>exit</c>, read one reply line — for all children at once,
/// within one deadline, so a hundred hosts cost one timeout and not a hundred.
/// </summary>
public static class ChildHangup
{
    /// <summary>The reply when a child cannot be reached or says nothing in time (1.53's subreply).</summary>
    public const string ConLost = "con_lost";

    /// <summary>
    /// Sends <paramref name="request"/> to every socket in <paramref name="socketPaths"/> in parallel and
    /// returns the replies in the same order, as they are logged: newline removed, quoted as peer text
    /// (<see cref="PeerText"/>: cut at 200 bytes, markup escaped); <see cref="ConLost"/> for each socket that
    /// is missing, refuses, hangs up or has not answered when <paramref name="deadline"/> passes.
    /// </summary>
    /// <remarks>
    /// The reply to <c>exit</c> is lond's, relayed by the child: up to 16 MiB of whatever lond sends. Only what
    /// can be logged is read; the rest is left unread and the connection closed.
    /// </remarks>
    public static IReadOnlyList<string> Ask(IReadOnlyList<string> socketPaths, string request, TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        var tasks = socketPaths.Select(p => AskOne(p, request, cts.Token)).ToArray();
        Task.WhenAll(tasks).GetAwaiter().GetResult();
        return tasks.Select(t => t.Result).ToList();
    }

    private static async Task<string> AskOne(string socketPath, string request, CancellationToken token)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
            await socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"), SocketFlags.None, token);
            var line = new List<byte>();
            var buffer = new byte[256];
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
                if (n == 0)
                    return ConLost;
                var newline = Array.IndexOf(buffer, (byte)'\n', 0, n);
                line.AddRange(buffer.Take(newline < 0 ? n : newline));
                if (newline >= 0)
                    return line.Count == 0 ? ConLost : PeerText.Quote(line.ToArray());
                if (line.Count > PeerText.MaxQuoted)
                    return PeerText.Quote(line.ToArray());
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ArgumentOutOfRangeException)
        {
            // ArgumentOutOfRange: a socket path longer than sun_path; the child could not have bound it either.
            return ConLost;
        }
    }
}
