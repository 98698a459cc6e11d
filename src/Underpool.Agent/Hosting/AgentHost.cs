using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Http;
using Underpool.Agent.Observability;
using Underpool.Probe;
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

    /// <summary>Reaches for the store (initialises it, primes the in-memory view, registers the node), then listens. A
    /// store that is unavailable does not stop the start: the agent serves STATUS (not ready, with the reason) and keeps
    /// trying (<see cref="StoreStartup"/>). The host owns the store.</summary>
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
        await SocketPath.PrepareAsync(options, cancellationToken).ConfigureAwait(false);

        WebApplicationBuilder builder = AgentWebBuilder.Create();
        builder.WebHost.ConfigureKestrel(k => ServerLimits.Apply(k, options));
        ConfigureLogging(builder.Logging, options, configureLogging);
        AgentServices.Add(builder.Services, options, store, prober);

        WebApplication app = builder.Build();
        try
        {
            await app.Services.GetRequiredService<StoreStartup>().FirstAttemptAsync(cancellationToken).ConfigureAwait(false);
            app.UseMiddleware<FailureMiddleware>();
            app.UseMiddleware<StoreReadyGate>();
            app.MapUnderpoolApi(app.Services.GetRequiredService<AgentMetrics>());
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
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

    private static void ConfigureLogging(ILoggingBuilder logging, AgentOptions options, Action<ILoggingBuilder>? configure)
    {
        logging.ClearProviders();
        if (configure is not null)
        {
            configure(logging);
        }
        else if (options.LogFormat == LogFormat.Text)
        {
            logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }

        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
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
