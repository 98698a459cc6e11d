using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Underpool.Api.Transport;

/// <summary>One HTTP/1.1 request per connection over the agent's unix socket, synchronously, with a deadline.</summary>
/// <remarks>Why not HttpClient: the plugin is exec'd for every CNI call, and SocketsHttpHandler's start-up plus the
/// thread pool and epoll threads that async socket calls start cost more than the agent's whole answer (a plugin STATUS
/// call took 5.8 ms with HttpClient, 4.0 ms with this; docs/benchmarks.md). Both ends are ours, so the subset needed
/// is small: send one request with Connection: close, read until the agent closes, parse. Synchronous on purpose:
/// the callers are short-lived single-threaded programs, and the deadline bounds every send and receive. The socket is
/// <see cref="UnixSocket"/>, not System.Net.Sockets, whose engine thread cost a tenth of a plugin call.</remarks>
internal sealed class UnixHttpTransport
{
    // An agent answer is a few KiB; a listing of every allocation of a large cluster may be tens of MiB.
    private const int MaxAnswerBytes = 256 << 20;

    // Far below a unix socket's send buffer (208 KiB by default), far above any CNI request (an ADD is ~200 bytes).
    private const int SmallBodyBytes = 16 * 1024;

    private readonly string _socketPath;

    public UnixHttpTransport(string socketPath, TimeSpan timeout)
    {
        _socketPath = socketPath;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>Sends the request and returns the answer. Throws <see cref="IOException"/> when the agent cannot be
    /// reached or hangs up, <see cref="TimeoutException"/> when it does not answer within <see cref="Timeout"/>,
    /// <see cref="InvalidDataException"/> when its answer is not HTTP, and <see cref="ArgumentException"/> when the
    /// socket path is not one the kernel takes.</summary>
    public HttpAnswer Send(string method, string pathAndQuery, ReadOnlySpan<byte> jsonBody)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            // A unix-socket connect completes at once unless the agent's accept backlog is full (it is stuck); Linux
            // bounds that wait by the send timeout.
            using UnixSocket socket = UnixSocket.Connect(_socketPath, MillisecondsLeft(started));
            bool sentAll = socket.SendAll(Head(method, pathAndQuery, jsonBody.Length))
                           && SendBody(socket, jsonBody, started);

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
        catch (TimeoutException e) when (e.Message != NoAnswer())
        {
            // The socket's own timeouts say what waited ("no answer", a full backlog); the caller hears the deadline.
            throw new TimeoutException(e.Message == UnixSocket.NoAnswer ? NoAnswer() : $"{NoAnswer()}: {e.Message}", e);
        }
    }

    private static byte[] Head(string method, string pathAndQuery, int contentLength) =>
        Encoding.ASCII.GetBytes(
            $"{method} {pathAndQuery} HTTP/1.1\r\nHost: underpool.agent\r\nConnection: close\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {contentLength.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");

    /// <summary>Sends the body; false when the agent answered or hung up before taking all of it.</summary>
    /// <remarks>A body larger than the socket buffer goes out without blocking, waiting for the socket to be writable
    /// or readable: a blocking send would wait for an agent that has already answered and stopped reading, until the
    /// deadline.</remarks>
    private bool SendBody(UnixSocket socket, ReadOnlySpan<byte> body, long started)
    {
        if (body.Length <= SmallBodyBytes)
        {
            // Fits the socket's buffer at once: a blocking send returns without waiting for the agent to read.
            return socket.SendAll(body);
        }

        while (!body.IsEmpty)
        {
            int sent = socket.SendSome(body);
            if (sent < 0)
            {
                return false;
            }

            body = body[sent..];
            if (sent == 0)
            {
                (bool writable, bool readable) = socket.Wait(MillisecondsLeft(started));
                if (readable)
                {
                    return false; // The agent has something to say (an answer, or its close) first.
                }

                if (!writable)
                {
                    throw new TimeoutException(NoAnswer());
                }
            }
        }

        return true;
    }

    /// <summary>Reads the answer until the agent closes the connection, or, with <paramref name="untilFramed"/>, until the
    /// answer is complete by its own framing.</summary>
    private byte[] ReadAnswer(UnixSocket socket, long started, bool untilFramed)
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

            socket.SetTimeouts(MillisecondsLeft(started));
            int read;
            try
            {
                read = socket.Receive(buffer.AsSpan(length));
            }
            catch (ConnectionResetException) when (length > 0)
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

    /// <summary>What is left of the deadline, in whole milliseconds (at least 1).</summary>
    private int MillisecondsLeft(long started)
    {
        TimeSpan left = Timeout - Stopwatch.GetElapsedTime(started);
        return left <= TimeSpan.Zero
            ? throw new TimeoutException(NoAnswer())
            : (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, int.MaxValue);
    }

    private string NoAnswer() => $"no answer within {Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
