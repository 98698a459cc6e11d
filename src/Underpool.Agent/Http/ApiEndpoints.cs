using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Underpool.Agent.Cni;
using Underpool.Agent.Conflicts;
using Underpool.Agent.Endpoints;
using Underpool.Agent.Failures;
using Underpool.Agent.Gc;
using Underpool.Agent.Import;
using Underpool.Agent.Nodes;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Http;

/// <summary>Maps the agent's HTTP API (see <see cref="ApiRoutes"/>) onto the services.</summary>
internal static class ApiEndpoints
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    public static void MapUnderpoolApi(this WebApplication app, AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(metrics);
        CniService cni = app.Services.GetRequired<CniService>();
        AgentStatusService status = app.Services.GetRequired<AgentStatusService>();

        MapCni(app, metrics, ApiRoutes.CniAdd, "add", Json.CniAddRequest, Json.CniAddResponse, cni.AddAsync);
        MapCni(app, metrics, ApiRoutes.CniDel, "del", Json.CniDelRequest, Json.CniDelResponse, cni.DelAsync);
        MapCni(app, metrics, ApiRoutes.CniCheck, "check", Json.CniCheckRequest, Json.CniCheckResponse, cni.CheckAsync);
        MapCni(app, metrics, ApiRoutes.CniGc, "gc", Json.CniGcRequest, Json.CniGcResponse, cni.GcAsync);

        // Always 200: "not ready" is an answer (its reason is in the body), not a failure of the request, so every
        // client reads the same shape; the plugin turns it into CNI 50 and underpoolctl status into exit 4.
        app.MapGet(ApiRoutes.Status, async (HttpContext http) =>
            await WriteAsync(http, 200, await status.GetAsync(http.RequestAborted).ConfigureAwait(false), Json.AgentStatus)
                .ConfigureAwait(false));
        app.MapGet(ApiRoutes.Health, (HttpContext http) => http.Response.WriteAsync("ok\n", http.RequestAborted));

        MapPools(app);
        MapInventory(app);
        MapAppPools(app);

        LivenessSweep sweep = app.Services.GetRequired<LivenessSweep>();
        app.MapPost(ApiRoutes.GcRun, (HttpContext http) =>
            HandleJsonAsync(http, Json.GcRunRequest, Json.GcRunResponse, async (run, ct) => (Outcome<GcRunResponse>)await sweep.RunAsync(run.DryRun, ct).ConfigureAwait(false)));

        ImportService import = app.Services.GetRequired<ImportService>();
        app.MapPost(ApiRoutes.Import, (HttpContext http) =>
            HandleJsonAsync(http.WithBodyLimit(ImportRequest.MaxBodyBytes), Json.ImportRequest, Json.ImportResponse, import.ImportAsync));

        app.MapMetrics(ApiRoutes.Metrics, metrics.Registry);

        // Every 4xx carries a problem body, including a route or method the API does not have.
        app.MapFallback((HttpContext http) => WriteProblemAsync(http, new Failure(
            ProblemKinds.RouteNotFound,
            $"the agent has no {http.Request.Method} {http.Request.Path}; underpoolctl and the plugin of the same version know its routes")));
    }

    private static void MapPools(WebApplication app)
    {
        PoolAdminService admin = app.Services.GetRequired<PoolAdminService>();
        app.MapGet(ApiRoutes.Pools, async (HttpContext http) =>
            await WriteOutcomeAsync(http, await admin.ListAsync(http.RequestAborted).ConfigureAwait(false), Json.IReadOnlyListPoolView)
                .ConfigureAwait(false));
        app.MapPost(ApiRoutes.Pools, (HttpContext http) =>
            HandleJsonAsync(http, Json.PoolDefinition, Json.PoolView, admin.CreateAsync, successStatus: 201));
        app.MapGet(ApiRoutes.Pools + "/{name}", WithName(async (http, name) =>
            await WriteOutcomeAsync(http, await admin.GetAsync(name, http.RequestAborted).ConfigureAwait(false), Json.PoolView)
                .ConfigureAwait(false)));
        PoolUpdateService updates = app.Services.GetRequired<PoolUpdateService>();
        app.MapPost(ApiRoutes.Pools + "/{name}/update", WithName((http, name) =>
            HandleJsonAsync(http, Json.PoolUpdate, Json.PoolView, (change, ct) => updates.UpdateAsync(name, change, ct))));
        app.MapDelete(ApiRoutes.Pools + "/{name}", WithName(async (http, name) =>
        {
            bool force = string.Equals(http.Request.Query["force"], "true", StringComparison.OrdinalIgnoreCase);
            await WriteOutcomeAsync(http, await admin.DeleteAsync(name, force, http.RequestAborted).ConfigureAwait(false), Json.PoolDeleteResponse)
                .ConfigureAwait(false);
        }));

        app.MapGet(ApiRoutes.Reserved, async (HttpContext http) =>
            await WriteOutcomeAsync(http, await admin.ListReservedAsync(http.RequestAborted).ConfigureAwait(false), Json.ReservedList)
                .ConfigureAwait(false));
        app.MapPost(ApiRoutes.Reserved, (HttpContext http) =>
            HandleJsonAsync(http, Json.ReservedChange, Json.ReservedChangeResponse, async (change, ct) => await admin.ChangeReservedAsync(change, add: true, ct).ConfigureAwait(false)));
        app.MapPost(ApiRoutes.ReservedRemove, (HttpContext http) =>
            HandleJsonAsync(http, Json.ReservedChange, Json.ReservedChangeResponse, async (change, ct) => await admin.ChangeReservedAsync(change, add: false, ct).ConfigureAwait(false)));

        app.MapGet(ApiRoutes.Allocations, async (HttpContext http) =>
        {
            IQueryCollection q = http.Request.Query;
            Outcome<IReadOnlyList<AllocationView>> result = await admin
                .ListAllocationsAsync(NullIfEmpty(q["pool"]), NullIfEmpty(q["node"]), NullIfEmpty(q["network"]), http.RequestAborted)
                .ConfigureAwait(false);
            await WriteOutcomeAsync(http, result, Json.IReadOnlyListAllocationView).ConfigureAwait(false);
        });
    }

    private static void MapInventory(WebApplication app)
    {
        QuarantineService quarantine = app.Services.GetRequired<QuarantineService>();
        NodeDirectory nodes = app.Services.GetRequired<NodeDirectory>();
        app.MapGet(ApiRoutes.Nodes, async (HttpContext http) =>
            await WriteOutcomeAsync(http, await nodes.ListAsync(http.RequestAborted).ConfigureAwait(false), Json.NodeList)
                .ConfigureAwait(false));
        NodeForgetService forget = app.Services.GetRequired<NodeForgetService>();
        app.MapPost(ApiRoutes.Nodes + "/{name}/forget", WithName(async (http, name) =>
            await WriteOutcomeAsync(http, await forget.ForgetAsync(name, http.RequestAborted).ConfigureAwait(false), Json.NodeForgetResponse)
                .ConfigureAwait(false)));

        app.MapGet(ApiRoutes.Conflicts, async (HttpContext http) =>
            await WriteOutcomeAsync(http, await quarantine.ListAsync(http.RequestAborted).ConfigureAwait(false), Json.ConflictList)
                .ConfigureAwait(false));
        app.MapPost(ApiRoutes.ConflictsClear, (HttpContext http) =>
            HandleJsonAsync(http, Json.ConflictClear, Json.ConflictView, quarantine.ClearAsync));

        EndpointDirectory endpoints = app.Services.GetRequired<EndpointDirectory>();
        app.MapGet(ApiRoutes.Endpoints, async (HttpContext http) =>
            await WriteOutcomeAsync(http, await endpoints.ListAsync(NullIfEmpty(http.Request.Query["name"]), http.RequestAborted).ConfigureAwait(false), Json.EndpointList)
                .ConfigureAwait(false));
        app.MapPost(ApiRoutes.EndpointsRelease, (HttpContext http) =>
            HandleJsonAsync(http, Json.EndpointReleaseRequest, Json.EndpointReleaseResponse, endpoints.ReleaseAsync));
    }

    private static void MapAppPools(WebApplication app)
    {
        AppPoolService appPools = app.Services.GetRequired<AppPoolService>();
        app.MapPost(ApiRoutes.AppPools, (HttpContext http) =>
            HandleJsonAsync(http, Json.AppPoolCreate, Json.PoolView, appPools.CreateAsync, successStatus: 201));
        app.MapPost(ApiRoutes.AppPoolsReclaim, (HttpContext http) =>
            HandleJsonAsync(http, Json.AppReclaim, Json.AppReclaimResponse, appPools.ReclaimAsync));
        app.MapPost(ApiRoutes.AppPools + "/{name}/scale", WithName((http, name) =>
            HandleJsonAsync(http, Json.AppPoolScale, Json.PoolView, (scale, ct) => appPools.ScaleAsync(name, scale, ct))));
        app.MapDelete(ApiRoutes.AppPools + "/{name}", WithName(async (http, name) =>
        {
            bool force = string.Equals(http.Request.Query["force"], "true", StringComparison.OrdinalIgnoreCase);
            await WriteOutcomeAsync(http, await appPools.DeleteAsync(name, force, http.RequestAborted).ConfigureAwait(false), Json.PoolDeleteResponse)
                .ConfigureAwait(false);
        }));
    }

    private static void MapCni<TRequest, TResponse>(
        IEndpointRouteBuilder app,
        AgentMetrics metrics,
        string route,
        string verb,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<TRequest, CancellationToken, Task<Outcome<TResponse>>> handle)
    {
        app.MapPost(route, async (HttpContext http) =>
        {
            long started = Stopwatch.GetTimestamp();
            string? failure = null;
            try
            {
                Outcome<TResponse> result = await ReadAndHandleAsync(http, requestType, handle).ConfigureAwait(false);
                failure = result.IsSuccess ? null : result.Failure.Type;
                await WriteOutcomeAsync(http, result, responseType).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The middleware answers it; only here is the verb known, so count it under the type it will answer.
                failure = FailureMiddleware.Classify(e).Type;
                throw;
            }
            finally
            {
                metrics.Observe(verb, Stopwatch.GetElapsedTime(started));
                if (failure is not null)
                {
                    metrics.Failed(verb, failure);
                }
            }
        });
    }

    /// <summary>A JSON request answered with a JSON outcome: a body that is not a valid request is a 400 problem and
    /// never reaches <paramref name="handle"/>.</summary>
    private static async Task HandleJsonAsync<TRequest, TResponse>(
        HttpContext http,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<TRequest, CancellationToken, Task<Outcome<TResponse>>> handle,
        int successStatus = 200) =>
        await WriteOutcomeAsync(http, await ReadAndHandleAsync(http, requestType, handle).ConfigureAwait(false), responseType, successStatus)
            .ConfigureAwait(false);

    private static async Task<Outcome<TResponse>> ReadAndHandleAsync<TRequest, TResponse>(
        HttpContext http, JsonTypeInfo<TRequest> requestType, Func<TRequest, CancellationToken, Task<Outcome<TResponse>>> handle)
    {
        Outcome<TRequest> body = await ReadAsync(http, requestType).ConfigureAwait(false);
        return body.IsSuccess ? await handle(body.Value!, http.RequestAborted).ConfigureAwait(false) : body.Failure;
    }

    private static async Task<Outcome<T>> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type)
    {
        try
        {
            T? value = await JsonSerializer.DeserializeAsync(http.Request.Body, type, http.RequestAborted).ConfigureAwait(false);
            if (value is null)
            {
                return Failure.InvalidRequest($"the request body must be a JSON {typeof(T).Name} object, not null");
            }

            return RequestNulls.Find(value) is { } path
                ? Failure.InvalidRequest($"the request body is not a valid {typeof(T).Name}: {path} is null")
                : value;
        }
        catch (JsonException e)
        {
            return Failure.InvalidRequest($"the request body is not a valid {typeof(T).Name}: {e.Message}");
        }
    }

    private static Task WriteOutcomeAsync<T>(HttpContext http, Outcome<T> outcome, JsonTypeInfo<T> type, int successStatus = 200) =>
        outcome.IsSuccess
            ? WriteAsync(http, successStatus, outcome.Value!, type)
            : WriteProblemAsync(http, outcome.Failure);

    public static Task WriteProblemAsync(HttpContext http, Failure failure)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(failure);
        return WriteAsync(http, failure.Status, failure.ToProblem(), Json.Problem, "application/problem+json");
    }

    private static async Task WriteAsync<T>(HttpContext http, int status, T value, JsonTypeInfo<T> type, string contentType = "application/json")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A handler of a route with {name}, as a plain <see cref="RequestDelegate"/>: a handler taking more than the
    /// HttpContext would go through RequestDelegateFactory, which builds its parameter binding by reflection at run time
    /// and fails in the NativeAOT agent.</summary>
    private static RequestDelegate WithName(Func<HttpContext, string, Task> handle) =>
        http => handle(http, (string)http.Request.RouteValues["name"]!);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static T GetRequired<T>(this IServiceProvider services)
        where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered"));
}
