using System.Net.Sockets;
using System.Text;

namespace Underpool.Testing;

/// <summary>What a <see cref="ScriptedServer"/> does once it has answered.</summary>
public enum AfterAnswer
{
    /// <summary>Shuts the connection down, as the agent does after every answer.</summary>
    Close,

    /// <summary>Keeps the connection open without reading, as Kestrel does after refusing a body too large to drain.</summary>
    Hold,
}

/// <summary>A fake agent: a unix-socket server that answers every connection with a script (raw bytes, silence, or a
/// hang-up), so a client's handling of each can be seen. Raw on purpose: the point is what goes over the wire.</summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Func<string, byte[]?> _answer;
    private readonly bool _answerAfterHead;
    private readonly AfterAnswer _after;

    /// <param name="answer">Given the request as text (head and body), the bytes to send back, or null to keep the
    /// connection open without answering (a hung agent).</param>
    /// <param name="answerAfterHead">Answer as soon as the head is in, without reading the body (an agent refusing
    /// a body over its limit); the request given to <paramref name="answer"/> is then the head alone.</param>
    /// <param name="after">What to do with the connection once answered.</param>
    public ScriptedServer(Func<string, byte[]?> answer, bool answerAfterHead = false, AfterAnswer after = AfterAnswer.Close)
    {
        _answer = answer;
        _answerAfterHead = answerAfterHead;
        _after = after;
        SocketPath = Path.Combine(Path.GetTempPath(), $"upl-fake-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    /// <summary>The last request the server read (in full, or its head alone when answering after the head).</summary>
    public string? LastRequest { get; private set; }

    /// <summary>An HTTP answer with a JSON body and its Content-Length.</summary>
    public static byte[] Json(int status, string body) =>
        Encoding.UTF8.GetBytes(
            $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The listener was closed under the accept loop: that is how it stops.
        }

        _stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection = await _listener.AcceptAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            string request = await ReadRequestAsync(connection, _answerAfterHead);
            LastRequest = request;
            byte[]? answer = _answer(request);
            if (answer is not null)
            {
                await connection.SendAsync(answer, SocketFlags.None);
                if (_after == AfterAnswer.Close)
                {
                    connection.Shutdown(SocketShutdown.Both);
                    return;
                }
            }

            // Hold the connection until the server stops: a hung agent, or one that answered and stopped reading.
            await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<string> ReadRequestAsync(Socket connection, bool headOnly)
    {
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        while (true)
        {
            int read = await connection.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
            string text = Encoding.ASCII.GetString([.. received]);
            int headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0 && (headOnly || text.Length - headEnd - 4 >= ContentLength(text[..headEnd])))
            {
                return headOnly ? text[..(headEnd + 4)] : text;
            }
        }

        return Encoding.ASCII.GetString([.. received]);
    }

    private static int ContentLength(string head)
    {
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
