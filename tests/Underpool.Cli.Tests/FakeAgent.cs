using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Underpool.Cli.Tests;

/// <summary>A request the fake agent received.</summary>
internal sealed record RecordedRequest(string Method, string Target, string Body);

/// <summary>A tiny HTTP/1.1 server on a unix socket that gives every request the same canned answer and records what it got.
/// Raw sockets on purpose: the CLI tests need no ASP.NET, and the wire stays visible.</summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly int _status;
    private readonly string _body;

    private FakeAgent(int status, string body)
    {
        _status = status;
        _body = body;
        // /tmp keeps the path under the 107-byte unix socket limit.
        SocketPath = Path.Combine(Path.GetTempPath(), $"upctl-test-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static FakeAgent Answering(int status, string json) => new(status, json);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (connection)
            await using (var stream = new NetworkStream(connection, ownsSocket: false))
            {
                await ServeAsync(stream);
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream)
    {
        var reader = new HttpReader(stream);
        string[] requestLine = (await reader.ReadLineAsync()).Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (string line = await reader.ReadLineAsync(); line.Length > 0; line = await reader.ReadLineAsync())
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body = await ReadBodyAsync(reader, headers);
        Requests.Enqueue(new RecordedRequest(requestLine[0], requestLine[1], Encoding.UTF8.GetString(body)));

        byte[] payload = Encoding.UTF8.GetBytes(_body);
        string contentType = _status >= 400 ? "application/problem+json" : "application/json";
        string head = $"HTTP/1.1 {_status} Canned\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(payload);
    }

    // HttpClient sends JsonContent chunked (its length is unknown up front), other bodies with Content-Length.
    private static async Task<byte[]> ReadBodyAsync(HttpReader reader, Dictionary<string, string> headers)
    {
        if (headers.TryGetValue("Content-Length", out string? length))
        {
            return await reader.ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture));
        }

        if (!headers.TryGetValue("Transfer-Encoding", out string? encoding) || !encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        using var body = new MemoryStream();
        while (true)
        {
            int size = int.Parse((await reader.ReadLineAsync()).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                await reader.ReadLineAsync();
                return body.ToArray();
            }

            body.Write(await reader.ReadExactlyAsync(size));
            await reader.ReadLineAsync();
        }
    }

    /// <summary>Lines and exact byte counts over a stream, with its own buffer.</summary>
    private sealed class HttpReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<string> ReadLineAsync()
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync())
                {
                    return Encoding.ASCII.GetString([.. line]);
                }

                byte b = _buffer[_start++];
                if (b == '\n')
                {
                    return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count)
        {
            byte[] result = new byte[count];
            int done = 0;
            while (done < count)
            {
                if (_start == _end && !await FillAsync())
                {
                    throw new EndOfStreamException();
                }

                int take = Math.Min(count - done, _end - _start);
                Array.Copy(_buffer, _start, result, done, take);
                _start += take;
                done += take;
            }

            return result;
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer);
            return _end > 0;
        }
    }
}
