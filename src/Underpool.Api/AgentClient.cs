using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Underpool.Api.Contracts;

namespace Underpool.Api;

/// <summary>Talks to the agent's HTTP API over its unix socket. Never throws for an unreachable or failing agent:
/// every answer is an <see cref="ApiResult{T}"/>.</summary>
public sealed class AgentClient : IDisposable
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;
    private readonly HttpClient _http;

    public AgentClient(string socketPath, TimeSpan timeout)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            UseProxy = false,
        };

        // The host name is a placeholder: the connect callback above always dials the socket.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://underpool.agent"), Timeout = timeout };
    }

    public string SocketPath { get; }

    public Task<ApiResult<CniAddResponse>> AddAsync(CniAddRequest request, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.CniAdd, request, Json.CniAddRequest, Json.CniAddResponse, cancellationToken);

    public Task<ApiResult<CniDelResponse>> DelAsync(CniDelRequest request, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.CniDel, request, Json.CniDelRequest, Json.CniDelResponse, cancellationToken);

    public Task<ApiResult<CniCheckResponse>> CheckAsync(CniCheckRequest request, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.CniCheck, request, Json.CniCheckRequest, Json.CniCheckResponse, cancellationToken);

    public Task<ApiResult<CniGcResponse>> GcAsync(CniGcRequest request, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.CniGc, request, Json.CniGcRequest, Json.CniGcResponse, cancellationToken);

    public Task<ApiResult<AgentStatus>> StatusAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, ApiRoutes.Status), Json.AgentStatus, cancellationToken);

    public Task<ApiResult<IReadOnlyList<PoolView>>> ListPoolsAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, ApiRoutes.Pools), Json.IReadOnlyListPoolView, cancellationToken);

    public Task<ApiResult<PoolView>> GetPoolAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, ApiRoutes.Pool(name)), Json.PoolView, cancellationToken);

    public Task<ApiResult<PoolView>> CreatePoolAsync(PoolDefinition pool, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.Pools, pool, Json.PoolDefinition, Json.PoolView, cancellationToken);

    public Task<ApiResult<PoolDeleteResponse>> DeletePoolAsync(string name, bool force, CancellationToken cancellationToken) =>
        SendAsync(
            new HttpRequestMessage(HttpMethod.Delete, ApiRoutes.Pool(name) + (force ? "?force=true" : string.Empty)),
            Json.PoolDeleteResponse,
            cancellationToken);

    public Task<ApiResult<ReservedList>> ListReservedAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, ApiRoutes.Reserved), Json.ReservedList, cancellationToken);

    public Task<ApiResult<ReservedChangeResponse>> AddReservedAsync(ReservedChange change, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.Reserved, change, Json.ReservedChange, Json.ReservedChangeResponse, cancellationToken);

    public Task<ApiResult<ReservedChangeResponse>> RemoveReservedAsync(ReservedChange change, CancellationToken cancellationToken) =>
        PostAsync(ApiRoutes.ReservedRemove, change, Json.ReservedChange, Json.ReservedChangeResponse, cancellationToken);

    public Task<ApiResult<IReadOnlyList<AllocationView>>> ListAllocationsAsync(
        string? pool, string? node, string? network, CancellationToken cancellationToken)
    {
        var query = new List<string>(3);
        AddQuery(query, "pool", pool);
        AddQuery(query, "node", node);
        AddQuery(query, "network", network);
        string uri = ApiRoutes.Allocations + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query));
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), Json.IReadOnlyListAllocationView, cancellationToken);
    }

    /// <summary>The Prometheus text of /metrics, or the problem.</summary>
    public async Task<ApiResult<string>> GetMetricsTextAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(ApiRoutes.Metrics, cancellationToken).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? ApiResult<string>.Success(text)
                : ApiResult<string>.Failure(UnexpectedAnswer((int)response.StatusCode, text));
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            return ApiResult<string>.Failure(Unreachable(e));
        }
    }

    public void Dispose() => _http.Dispose();

    private static void AddQuery(List<string> query, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add($"{key}={Uri.EscapeDataString(value)}");
        }
    }

    private Task<ApiResult<TResponse>> PostAsync<TRequest, TResponse>(
        string route,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        var message = new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body, requestType) };
        return SendAsync(message, responseType, cancellationToken);
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage message, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
        where T : class
    {
        using (message)
        {
            try
            {
                using HttpResponseMessage response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    T? value = body.Length == 0 ? null : JsonSerializer.Deserialize(body, responseType);
                    return value is null
                        ? ApiResult<T>.Failure(UnexpectedAnswer((int)response.StatusCode, "empty body"))
                        : ApiResult<T>.Success(value);
                }

                return ApiResult<T>.Failure(ReadProblem(response.StatusCode, body));
            }
            catch (Exception e) when (IsTransportFailure(e, cancellationToken))
            {
                return ApiResult<T>.Failure(Unreachable(e));
            }
            catch (JsonException e)
            {
                return ApiResult<T>.Failure(UnexpectedAnswer(0, e.Message));
            }
        }
    }

    private static Problem ReadProblem(HttpStatusCode status, byte[] body)
    {
        try
        {
            Problem? problem = body.Length == 0 ? null : JsonSerializer.Deserialize(body, Json.Problem);
            if (problem is not null && !string.IsNullOrEmpty(problem.Detail))
            {
                return problem;
            }
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy, a crash page): fall through to a generic problem with the raw text.
        }

        return UnexpectedAnswer((int)status, System.Text.Encoding.UTF8.GetString(body));
    }

    // A timeout surfaces as TaskCanceledException that the caller did not ask for; the caller's own cancellation is not a transport failure.
    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or SocketException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private Problem Unreachable(Exception e)
    {
        string why = e is OperationCanceledException
            ? $"no answer within {_http.Timeout.TotalSeconds:0.#} s"
            : !File.Exists(SocketPath)
                ? "the socket file does not exist"
                : (e.InnerException ?? e).Message;
        return new Problem
        {
            Type = "agent-unreachable",
            Title = "The Underpool agent is unreachable",
            Status = 503,
            Detail = $"cannot reach the underpool agent at {SocketPath}: {why}. Is underpoold running on this node? "
                     + $"Start it with 'systemctl start underpoold' or 'underpoold --socket {SocketPath} --node NAME'.",
            CniCode = 11,
        };
    }

    private static Problem UnexpectedAnswer(int status, string text) => new()
    {
        Type = "agent-error",
        Title = "The agent gave an unexpected answer",
        Status = status,
        Detail = $"the agent answered HTTP {status}: {Truncate(text)}",
        CniCode = 102,
    };

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
