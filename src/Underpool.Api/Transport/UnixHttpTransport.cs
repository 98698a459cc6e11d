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
            bool sentAll = SendBody(socket, jsonBody, started);

            // An agent that answered before taking the whole body (413: too large) may keep the connection open to
            // drain it, so its answer ends where its framing says, not where the connection does.
            byte[] response = ReadAnswer(socket, started, untilFramed: !sentAll);
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

    /// <summary>Sends the body; false when the agent answered or hung up before taking all of it.</summary>
    /// <remarks>Non-blocking, waiting for the socket to be writable or readable: a blocking send of a body larger than
    /// the socket buffer would wait for an agent that has already answered and stopped reading, until the deadline.</remarks>
    private bool SendBody(Socket socket, ReadOnlySpan<byte> body, long started)
    {
        socket.Blocking = false;
        try
        {
            while (!body.IsEmpty)
            {
                int sent = socket.Send(body, SocketFlags.None, out SocketError error);
                switch (error)
                {
                    case SocketError.Success:
                        body = body[sent..];
                        break;
                    case SocketError.WouldBlock:
                        if (!WaitUntilWritable(socket, started))
                        {
                            return false;
                        }

                        break;
                    case SocketError.Shutdown or SocketError.ConnectionReset or SocketError.ConnectionAborted:
                        return false; // Closed on us: whatever it said before is still there to read.
                    default:
                        throw new SocketException((int)error);
                }
            }

            return true;
        }
        finally
        {
            socket.Blocking = true;
        }
    }

    /// <summary>Waits within the deadline; false when the agent has something to say (an answer, or its close) first.</summary>
    private bool WaitUntilWritable(Socket socket, long started)
    {
        TimeSpan left = Timeout - Stopwatch.GetElapsedTime(started);
        if (left <= TimeSpan.Zero)
        {
            throw new TimeoutException(NoAnswer());
        }

        var readable = new List<Socket> { socket };
        var writable = new List<Socket> { socket };
        Socket.Select(readable, writable, null, (int)Math.Clamp(left.TotalMicroseconds, 1, int.MaxValue));
        if (readable.Count > 0)
        {
            return false;
        }

        if (writable.Count == 0)
        {
            throw new TimeoutException(NoAnswer());
        }

        return true;
    }

    /// <summary>Reads the answer until the agent closes the connection, or, with <paramref name="untilFramed"/>, until the
    /// answer is complete by its own framing.</summary>
    private byte[] ReadAnswer(Socket socket, long started, bool untilFramed)
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
            int read;
            try
            {
                read = socket.Receive(buffer.AsSpan(length));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && length > 0)
            {
                // An agent that closed without reading all of the body resets the connection after its answer: what
                // came before the reset is the answer (or, if cut short, fails to parse as one).
                read = 0;
            }

            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
            if (untilFramed && HttpAnswerParser.IsComplete(buffer.AsSpan(0, length)))
            {
                return buffer[..length];
            }
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
