using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Underpool.Agent.Hosting;

/// <summary>The listening unix socket of the agent, which <see cref="Rebind"/> replaces with a fresh one at the same
/// path when the socket file was removed or replaced; connections already accepted keep working.</summary>
internal sealed class AgentSocketListener : IConnectionListener
{
    /// <summary>Pending connections the kernel queues while the agent is busy: a burst of ADDs from every pod a node
    /// starts at once fits.</summary>
    private const int Backlog = 512;

    private static readonly TimeSpan RetryAfterFailedRebind = TimeSpan.FromMilliseconds(100);

    private readonly SocketConnectionContextFactory _contexts;
    private readonly Lock _lock = new();
    private Socket _socket;
    private FileStatus _file;
    private bool _unbound;

    private AgentSocketListener(AgentSocketEndPoint endpoint, SocketConnectionContextFactory contexts, Socket socket, FileStatus file)
    {
        EndPoint = endpoint;
        Path = endpoint.Path;
        _contexts = contexts;
        _socket = socket;
        _file = file;
    }

    public EndPoint EndPoint { get; }

    public string Path { get; }

    /// <summary>The socket file this listener created (its device and inode tell it from anything put there later).</summary>
    public FileStatus File
    {
        get
        {
            lock (_lock)
            {
                return _file;
            }
        }
    }

    private Socket Current
    {
        get
        {
            lock (_lock)
            {
                return _socket;
            }
        }
    }

    public static AgentSocketListener Bind(AgentSocketEndPoint endpoint, SocketConnectionContextFactory contexts)
    {
        (Socket socket, FileStatus file) = Listen(endpoint.Path);
        return new AgentSocketListener(endpoint, contexts, socket, file);
    }

    /// <summary>Binds a new listening socket at <see cref="Path"/>, after closing the old one and removing whatever is at
    /// the path now; a pending accept moves to the new socket. Connections already accepted are not affected.</summary>
    public FileStatus Rebind()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_unbound, this);

            // The old socket goes first: .NET unlinks the path a listening socket was bound to when it is disposed,
            // which done afterwards would remove the new socket's file.
            _socket.Dispose();
            (Socket socket, FileStatus file) = Listen(Path, removeFirst: true);
            _socket = socket;
            _file = file;
            return file;
        }
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket listening;
            lock (_lock)
            {
                if (_unbound)
                {
                    return null;
                }

                listening = _socket;
            }

            try
            {
                Socket accepted = await listening.AcceptAsync(cancellationToken).ConfigureAwait(false);
                return _contexts.Create(accepted);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
            {
                // Closed by UnbindAsync (done), by Rebind (accept on the new socket), or a connection reset while it
                // waited in the backlog (accept the next one).
                if (cancellationToken.IsCancellationRequested)
                {
                    return null;
                }

                if (e is ObjectDisposedException && ReferenceEquals(listening, Current))
                {
                    // Closed, and binding it again failed: wait for the socket watch's next try instead of spinning.
                    await Task.Delay(RetryAfterFailedRebind, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        Unbind();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Unbind();
        _contexts.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Unbind()
    {
        lock (_lock)
        {
            _unbound = true;
            _socket.Dispose();
        }
    }

    private static (Socket Socket, FileStatus File) Listen(string path, bool removeFirst = false)
    {
        if (removeFirst && FileStatus.Of(path, followLinks: false) is { Kind: not FileKind.Directory })
        {
            System.IO.File.Delete(path);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(Backlog);

            // Only root (the runtime that execs the plugin) may allocate: the socket is the agent's only access control.
            // The process umask (077, FileCreationMask) already made it so; this states it whatever the umask.
            if (!OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return (socket, FileStatus.Of(path, followLinks: false) ?? throw new IOException($"{path} vanished right after bind"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
