using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Underpool.Agent.Hosting;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Kubernetes;

/// <summary>--metrics-listen: GET /metrics over TCP for Prometheus, and nothing else (every other path and method is
/// 404/405), on a server of its own so the API stays on the unix socket only. A server of its own also keeps the
/// socket's connection cap and idle timeout free of scrapers.</summary>
internal sealed partial class MetricsListener(AgentOptions options, AgentMetrics metrics, ILogger<MetricsListener> log) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = AgentWebBuilder.Create();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.MetricsListen!);
            k.Limits.MaxConcurrentConnections = 16;
            k.Limits.MaxRequestBodySize = 0;
        });
        WebApplication app = builder.Build();
        app.MapMetrics(ApiRoutes.Metrics, metrics.Registry).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        LogListening(options.MetricsListen!.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving GET /metrics on tcp {Endpoint}")]
    private partial void LogListening(string endpoint);
}
