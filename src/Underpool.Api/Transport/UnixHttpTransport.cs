using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Underpool.Api.Transport;

/// <summary>One HTTP/1.1 request per connection over the agent's unix socket, synchronously, with a deadline.</summary>
/// <remarks>Why not HttpClient: the plugin is exec'd for every CNI call, and SocketsHttpHandler's start-up plus the
/// thread pool and epoll threads that async socket calls start cost more than the agent's whole answer (a plugin STATUS
/// call took 5.8 ms with HttpClient, 4.0 ms with this; docs/benchmarks.md). Both ends are ours, so the subset needed
/// is small: send one request with Connection: close, read until the agent closes, parse. Synchronous on purpose:
/// the callers are short-lived single-threaded programs, and the deadline bounds every send and receive.</remarks>
internal sealed class UnixHttpTransport
{
    // An agent answer is a few KiB; a listing of every allocation of a large cluster may be tens of MiB.
    private const int MaxAnswerBytes = 256 << 20;

    private readonly string _socketPath;

    public UnixHttpTransport(string socketPath, TimeSpan timeout)
    {
        _socketPath = socketPath;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>Sends the request and returns the answer. Throws <see cref="SocketException"/> or
    /// <see cref="IOException"/> when the agent cannot be reached or hangs up, <see cref="TimeoutException"/> when it does not answer within <see cref="Timeout"/>, and
    /// <see cref="InvalidDataException"/> when its answer is not HTTP.</summary>
    public HttpAnswer Send(string method, string pathAndQuery, ReadOnlySpan<byte> jsonBody)
    {
        long started = Stopwatch.GetTimestamp();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        // A unix-socket connect completes at once unless the agent's accept backlog is full (it is stuck); Linux
        // bounds that wait by the send timeout and then fails with EAGAIN.
        SetDeadline(socket, started);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_socketPath));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.TimedOut)
        {
            throw new TimeoutException($"{NoAnswer()}: the agent accepts no connections (its backlog is full)", e);
        }

        try
        {
            SetDeadline(socket, started);
            socket.Send(Head(method, pathAndQuery, jsonBody.Length));
            if (!jsonBody.IsEmpty)
            {
                socket.Send(jsonBody);
            }

            byte[] response = ReadToEnd(socket, started);
            if (response.Length == 0)
            {
                // The agent stopped (or crashed) between accepting and answering: a transport failure, worth a retry.
                throw new IOException("the agent closed the connection without answering");
            }

            return HttpAnswerParser.TryParse(response, out HttpAnswer answer, out string error)
                ? answer
                : throw new InvalidDataException(error);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            throw new TimeoutException(NoAnswer(), e);
        }
    }

    private static byte[] Head(string method, string pathAndQuery, int contentLength) =>
        Encoding.ASCII.GetBytes(
            $"{method} {pathAndQuery} HTTP/1.1\r\nHost: underpool.agent\r\nConnection: close\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {contentLength.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");

    private byte[] ReadToEnd(Socket socket, long started)
    {
        byte[] buffer = new byte[16 * 1024];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxAnswerBytes)
                {
                    throw new InvalidDataException($"the answer is larger than {MaxAnswerBytes >> 20} MiB");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            SetDeadline(socket, started);
            int read = socket.Receive(buffer.AsSpan(length));
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
        }
    }

    /// <summary>Gives the next send or receive what is left of the deadline.</summary>
    private void SetDeadline(Socket socket, long started)
    {
        TimeSpan left = Timeout - Stopwatch.GetElapsedTime(started);
        if (left <= TimeSpan.Zero)
        {
            throw new TimeoutException(NoAnswer());
        }

        // 0 means "no timeout" to the socket, so never pass less than 1 ms.
        int milliseconds = (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, int.MaxValue);
        socket.SendTimeout = milliseconds;
        socket.ReceiveTimeout = milliseconds;
    }

    private string NoAnswer() => $"no answer within {Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
