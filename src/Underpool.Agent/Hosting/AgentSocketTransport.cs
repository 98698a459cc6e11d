using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Underpool.Agent.Hosting;

/// <summary>Kestrel's transport for <see cref="AgentSocketEndPoint"/>: the listener it binds can be bound again at the
/// same path (<see cref="AgentSocketListener.Rebind"/>) while the server runs, which Kestrel's own unix socket
/// transport cannot do. Connections are Kestrel's own socket connections, so every server limit still applies.</summary>
internal sealed class AgentSocketTransport(ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private AgentSocketListener? _listener;

    /// <summary>The bound listener, once Kestrel has started.</summary>
    public AgentSocketListener? Listener => Volatile.Read(ref _listener);

    public bool CanBind(EndPoint endpoint) => endpoint is AgentSocketEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not AgentSocketEndPoint agent)
        {
            throw new NotSupportedException($"{endpoint} is not the agent's socket");
        }

        var contexts = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggers.CreateLogger<AgentSocketTransport>());
        var listener = AgentSocketListener.Bind(agent, contexts);
        Volatile.Write(ref _listener, listener);
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
