using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Conflicts;
using Underpool.Agent.Endpoints;
using Underpool.Agent.Gc;
using Underpool.Agent.Http;
using Underpool.Agent.Ipam;
using Underpool.Agent.Nodes;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Probe;
using Underpool.Probe.Linux;
using Underpool.Store;

namespace Underpool.Agent.Hosting;

/// <summary>A running agent: the HTTP API on its unix socket over one store. Tests start it in-process; the
/// daemon program starts it and waits for SIGTERM.</summary>
public sealed partial class AgentHost : IAsyncDisposable
{
    /// <summary>1 MiB: a GC request listing ten thousand attachments still fits.</summary>
    public const long MaxRequestBodyBytes = 1 << 20;

    private readonly WebApplication _app;
    private readonly IIpamStore _store;
    private readonly string _socket;
    private readonly ILogger _logger;

    private AgentHost(WebApplication app, IIpamStore store, string socket)
    {
        _app = app;
        _logger = app.Logger;
        _store = store;
        _socket = socket;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Initialises the store, primes the in-memory view and starts listening. The host owns the store.</summary>
    /// <param name="prober">Replaces the AF_PACKET prober (tests); null for the real one.</param>
    public static async Task<AgentHost> StartAsync(
        AgentOptions options,
        IIpamStore store,
        Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken,
        IAddressProber? prober = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        await PrepareSocketPathAsync(options.Socket, cancellationToken).ConfigureAwait(false);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenUnixSocket(options.Socket);

            // The largest request is a pool definition or a GC list of attachments: a few KiB to a few hundred.
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Logging.ClearProviders();
        if (configureLogging is not null)
        {
            configureLogging(builder.Logging);
        }
        else if (options.LogFormat == "text")
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PoolRegistry>();
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton(prober ?? new PacketProber());
        builder.Services.AddSingleton<UplinkResolver>();
        builder.Services.AddSingleton<ConflictScreen>();
        builder.Services.AddSingleton<GatewayVerifier>();
        builder.Services.AddSingleton<QuarantineService>();
        builder.Services.AddHostedService<QuarantineRecheckLoop>();
        builder.Services.AddSingleton<CniService>();
        builder.Services.AddSingleton<PoolAdminService>();
        builder.Services.AddSingleton<Import.ImportService>();
        builder.Services.AddSingleton<PoolUpdateService>();
        builder.Services.AddSingleton<AgentStatusService>();
        builder.Services.AddSingleton<NodeDirectory>();
        builder.Services.AddSingleton<NodeForgetService>();
        builder.Services.AddSingleton<EndpointDirectory>();
        builder.Services.AddSingleton<AppPoolService>();
        builder.Services.AddSingleton<LivenessSweep>();
        builder.Services.AddHostedService<LivenessSweepLoop>();
        builder.Services.AddSingleton<DeadNodeReaper>();
        builder.Services.AddHostedService(s => s.GetRequiredService<DeadNodeReaper>());
        builder.Services.AddSingleton<NodeHeartbeat>();
        builder.Services.AddHostedService(s => s.GetRequiredService<NodeHeartbeat>());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        WebApplication app = builder.Build();
        await app.Services.GetRequiredService<PoolRegistry>().CatchUpAsync(cancellationToken).ConfigureAwait(false);
        await app.Services.GetRequiredService<NodeHeartbeat>().BeatAsync(cancellationToken).ConfigureAwait(false);
        app.UseMiddleware<FailureMiddleware>();
        app.MapUnderpoolApi(app.Services.GetRequiredService<AgentMetrics>());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Only root (the runtime that execs the plugin) may allocate: the socket is the agent's only access control.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var host = new AgentHost(app, store, options.Socket);
        host.LogStarted(options.Node, options.Socket, store.Description);
        return host;
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, Ctrl-C) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        LogStopping(_socket);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        TryDelete(_socket);
    }

    /// <summary>Creates the socket's directory and removes a stale socket file, but refuses to steal the socket of
    /// an agent that still answers on it.</summary>
    private static async Task PrepareSocketPathAsync(string socket, CancellationToken cancellationToken)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(socket));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        if (Directory.Exists(socket))
        {
            throw new AgentStartException($"--socket {socket} is a directory; give the path of the socket file to create");
        }

        if (!File.Exists(socket))
        {
            return;
        }

        if (!SocketFile.IsSocket(socket))
        {
            // A typo such as --socket /var/lib/underpool/underpool.db must not delete the file it names.
            throw new AgentStartException($"--socket {socket} names an existing file that is not a socket; refusing to replace it");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Nobody listens: a leftover of an agent that died. Safe to replace.
            File.Delete(socket);
            return;
        }

        throw new AgentStartException($"another agent is already listening on {socket}; stop it first or pick another --socket");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the next start replaces a stale socket anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "underpoold serving node {Node} on {Socket}, store {Store}")]
    private partial void LogStarted(string node, string socket, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "underpoold stopping, removing {Socket}")]
    private partial void LogStopping(string socket);
}
