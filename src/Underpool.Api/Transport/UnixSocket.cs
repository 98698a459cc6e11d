using System.Runtime.InteropServices;
using System.Text;

namespace Underpool.Api.Transport;

/// <summary>A connected AF_UNIX stream socket driven by libc's socket/connect/send/recv/poll directly.</summary>
/// <remarks>Not <c>System.Net.Sockets.Socket</c>: its constructor starts the runtime's socket engine (an epoll thread),
/// 11 % of a plugin call's CPU and a thread start on every CNI call, for a socket that is only ever used blocking
/// (issue 16, docs/benchmarks.md section 9). Failures are <see cref="IOException"/> with the system's message, a wait
/// that ran out is <see cref="TimeoutException"/>, and a path the kernel cannot take is <see cref="ArgumentException"/>,
/// as <c>UnixDomainSocketEndPoint</c> refused it.</remarks>
internal sealed partial class UnixSocket : IDisposable
{
    /// <summary>sun_path holds 108 bytes with its terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    /// <summary>The message of a <see cref="TimeoutException"/> when a send or receive waited out its timeout.</summary>
    public const string NoAnswer = "no answer";

    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
    private const int SoSndTimeo = 21;
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000; // A peer that hung up is an EPIPE to handle, not a SIGPIPE that kills us.
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;
    private const short PollHangUp = 0x10;

    private const int Interrupted = 4; // EINTR
    private const int WouldBlock = 11; // EAGAIN: a send or receive timeout ran out, or a full accept backlog
    private const int BrokenPipe = 32; // EPIPE
    private const int ConnectionReset = 104; // ECONNRESET
    private const int AlreadyConnected = 106; // EISCONN: a connect interrupted by a signal finished meanwhile
    private const int TimedOut = 110; // ETIMEDOUT

    private int _descriptor;

    private UnixSocket(int descriptor) => _descriptor = descriptor;

    /// <summary>Connects to <paramref name="path"/>; a connect that waits (the listener's backlog is full) gives up after
    /// <paramref name="timeoutMilliseconds"/> with <see cref="TimeoutException"/>.</summary>
    public static UnixSocket Connect(string path, int timeoutMilliseconds)
    {
        byte[] address = Address(path);
        int descriptor = Socket(AfUnix, SockStream | SockCloexec, 0);
        if (descriptor < 0)
        {
            throw Failure("cannot create a socket");
        }

        var socket = new UnixSocket(descriptor);
        try
        {
            socket.SetTimeouts(timeoutMilliseconds);
            while (ConnectTo(descriptor, address, address.Length) != 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error == AlreadyConnected)
                {
                    break;
                }

                if (error != Interrupted)
                {
                    throw error is WouldBlock or TimedOut
                        ? new TimeoutException("the agent accepts no connections (its backlog is full)")
                        : Failure(error);
                }
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Bounds every later blocking send and receive (at least 1 ms: 0 would mean no bound at all).</summary>
    public void SetTimeouts(int milliseconds)
    {
        milliseconds = Math.Max(milliseconds, 1);
        Span<long> timeval = [milliseconds / 1000, milliseconds % 1000 * 1000];
        if (SetOption(_descriptor, SolSocket, SoSndTimeo, MemoryMarshal.AsBytes(timeval), 16) != 0
            || SetOption(_descriptor, SolSocket, SoRcvTimeo, MemoryMarshal.AsBytes(timeval), 16) != 0)
        {
            throw Failure("cannot set the socket's timeouts");
        }
    }

    /// <summary>Sends all of <paramref name="data"/>, blocking; false when the peer hung up first.</summary>
    public bool SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = TrySend(data, MsgNoSignal);
            if (sent < 0)
            {
                return false;
            }

            data = data[sent..];
        }

        return true;
    }

    /// <summary>Sends what fits without waiting: the bytes sent (0 when the buffer is full), or -1 when the peer hung up.</summary>
    public int SendSome(ReadOnlySpan<byte> data) => TrySend(data, MsgNoSignal | MsgDontWait);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for room to send or for something to read (an answer,
    /// or the peer's close).</summary>
    public (bool Writable, bool Readable) Wait(int timeoutMilliseconds)
    {
        Span<PollDescriptor> poll = [new PollDescriptor { Descriptor = _descriptor, Events = PollIn | PollOut }];
        while (true)
        {
            int ready = Poll(poll, 1, Math.Max(timeoutMilliseconds, 1));
            if (ready >= 0)
            {
                short events = poll[0].Returned;
                return ((events & PollOut) != 0, (events & (PollIn | PollHangUp)) != 0);
            }

            if (Marshal.GetLastPInvokeError() is int error and not Interrupted)
            {
                throw Failure(error);
            }
        }
    }

    /// <summary>Reads what has come, blocking: 0 at the end of the stream.</summary>
    /// <exception cref="TimeoutException">Nothing came within the receive timeout.</exception>
    /// <exception cref="ConnectionResetException">The peer reset the connection.</exception>
    public int Receive(Span<byte> buffer)
    {
        while (true)
        {
            nint read = Receive(_descriptor, buffer, buffer.Length, 0);
            if (read >= 0)
            {
                return (int)read;
            }

            switch (Marshal.GetLastPInvokeError())
            {
                case Interrupted:
                    continue;
                case WouldBlock:
                    throw new TimeoutException(NoAnswer);
                case ConnectionReset:
                    throw new ConnectionResetException(Marshal.GetPInvokeErrorMessage(ConnectionReset));
                case int error:
                    throw Failure(error);
            }
        }
    }

    public void Dispose()
    {
        if (_descriptor >= 0)
        {
            _ = Close(_descriptor);
            _descriptor = -1;
        }
    }

    private int TrySend(ReadOnlySpan<byte> data, int flags)
    {
        while (true)
        {
            nint sent = Send(_descriptor, data, data.Length, flags);
            if (sent >= 0)
            {
                return (int)sent;
            }

            switch (Marshal.GetLastPInvokeError())
            {
                case Interrupted:
                    continue;
                case WouldBlock when (flags & MsgDontWait) != 0:
                    return 0;
                case WouldBlock:
                    throw new TimeoutException(NoAnswer);
                case BrokenPipe or ConnectionReset:
                    return -1; // Closed on us: whatever the peer said before is still there to read.
                case int error:
                    throw Failure(error);
            }
        }
    }

    /// <summary>struct sockaddr_un: the family, then the path and its NUL.</summary>
    private static byte[] Address(string path)
    {
        int length = Encoding.UTF8.GetByteCount(path);
        if (length == 0 || length > MaxPathBytes || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"a unix socket path must be 1 to {MaxPathBytes} bytes long", nameof(path));
        }

        byte[] address = new byte[2 + length + 1];
        address[0] = AfUnix; // sa_family_t, little-endian
        Encoding.UTF8.GetBytes(path, address.AsSpan(2));
        return address;
    }

    private static IOException Failure(int error) => new(Marshal.GetPInvokeErrorMessage(error));

    private static IOException Failure(string what) => new($"{what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int ConnectTo(int descriptor, ReadOnlySpan<byte> address, int addressLength);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetOption(int descriptor, int level, int name, ReadOnlySpan<byte> value, int valueLength);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int descriptor, ReadOnlySpan<byte> buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int descriptor, Span<byte> buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(Span<PollDescriptor> descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
