using System.Net.Sockets;
using System.Text;

namespace Underpool.Api.Tests;

/// <summary>A unix-socket server that answers every connection with a script: raw bytes, silence, or a hang-up,
/// so the client's handling of each can be seen. Raw on purpose: the point is what goes over the wire.</summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Func<string, byte[]?> _answer;

    /// <param name="answer">Given the request head and body as text, the bytes to send back before closing, or
    /// null to keep the connection open without answering.</param>
    public ScriptedServer(Func<string, byte[]?> answer)
    {
        _answer = answer;
        SocketPath = Path.Combine(Path.GetTempPath(), $"upl-api-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    /// <summary>The last request the server read in full.</summary>
    public string? LastRequest { get; private set; }

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
            string request = await ReadRequestAsync(connection);
            LastRequest = request;
            byte[]? answer = _answer(request);
            if (answer is null)
            {
                // Hold the connection until the server stops: a hung agent.
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await connection.SendAsync(answer, SocketFlags.None);
            connection.Shutdown(SocketShutdown.Both);
        }
    }

    private static async Task<string> ReadRequestAsync(Socket connection)
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
            if (headEnd >= 0 && text.Length - headEnd - 4 >= ContentLength(text[..headEnd]))
            {
                return text;
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
