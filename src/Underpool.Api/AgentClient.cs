using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Underpool.Api.Contracts;
using Underpool.Api.Transport;
using Underpool.Api.Wire;

namespace Underpool.Api;

/// <summary>Talks to the agent's HTTP API over its unix socket. Never throws for an unreachable or failing agent:
/// every answer is an <see cref="ApiResult{T}"/>.</summary>
/// <remarks>Synchronous, with a deadline per call: the plugin and the CLI are short-lived single-threaded programs, and
/// keeping them off the thread pool is most of what makes a plugin call fast (see <see cref="UnixHttpTransport"/>).</remarks>
public sealed class AgentClient
{
    // Properties, not fields: a static field would build ApiJsonContext in every process that only makes CNI calls.
    private static ApiJsonContext Json => ApiJsonContext.Default;

    private static CniCallJsonContext CniJson => CniCallJsonContext.Default;

    private readonly UnixHttpTransport _transport;

    /// <summary>The longest socket path the kernel accepts (sun_path is 108 bytes with its terminating NUL).</summary>
    public const int MaxSocketPathBytes = UnixSocket.MaxPathBytes;

    public AgentClient(string socketPath, TimeSpan timeout)
    {
        SocketPath = socketPath;
        _transport = new UnixHttpTransport(socketPath, timeout);
    }

    public string SocketPath { get; }

    // ADD, DEL and CHECK, once per pod: their JSON is written and read by hand (Wire), the serializer's type metadata
    // on first use being a fifth of a plugin call's CPU (issue 16).
    public ApiResult<CniAddResponse> Add(CniAddRequest request) =>
        Post(ApiRoutes.CniAdd, CniCallWriter.Add(request), body => CniAnswerReader.Add(body));

    public ApiResult<CniDelResponse> Del(CniDelRequest request) =>
        Post(ApiRoutes.CniDel, CniCallWriter.Del(request), body => CniAnswerReader.Del(body));

    public ApiResult<CniCheckResponse> Check(CniCheckRequest request) =>
        Post(ApiRoutes.CniCheck, CniCallWriter.Check(request), body => CniAnswerReader.Check(body));

    public ApiResult<CniGcResponse> Gc(CniGcRequest request) =>
        Post(ApiRoutes.CniGc, request, CniJson.CniGcRequest, CniJson.CniGcResponse);

    /// <summary>Runs the liveness sweep of the agent's node now (or only reports it: <see cref="GcRunRequest.DryRun"/>).</summary>
    public ApiResult<GcRunResponse> RunGc(GcRunRequest request) =>
        Post(ApiRoutes.GcRun, request, Json.GcRunRequest, Json.GcRunResponse);

    /// <summary>Files another IPAM's live allocations (or, with <see cref="ImportRequest.DryRun"/>, reports what it would do).</summary>
    public ApiResult<ImportResponse> Import(ImportRequest request) =>
        Post(ApiRoutes.Import, JsonSerializer.SerializeToUtf8Bytes(request, Json.ImportRequest), Reader(Json.ImportResponse), ImportRequest.MaxBodyBytes);

    public ApiResult<AgentStatus> Status() =>
        Send("GET", ApiRoutes.Status, default, CniJson.AgentStatus);

    public ApiResult<IReadOnlyList<PoolView>> ListPools() =>
        Send("GET", ApiRoutes.Pools, default, Json.IReadOnlyListPoolView);

    public ApiResult<PoolView> GetPool(string name) =>
        Send("GET", ApiRoutes.Pool(name), default, Json.PoolView);

    public ApiResult<PoolView> CreatePool(PoolDefinition pool) =>
        Post(ApiRoutes.Pools, pool, Json.PoolDefinition, Json.PoolView);

    public ApiResult<PoolView> UpdatePool(string name, PoolUpdate change) =>
        Post(ApiRoutes.PoolUpdate(name), change, Json.PoolUpdate, Json.PoolView);

    public ApiResult<PoolDeleteResponse> DeletePool(string name, bool force) =>
        Send("DELETE", ApiRoutes.Pool(name) + (force ? "?force=true" : string.Empty), default, Json.PoolDeleteResponse);

    public ApiResult<PoolView> CreateAppPool(AppPoolCreate request) =>
        Post(ApiRoutes.AppPools, request, Json.AppPoolCreate, Json.PoolView);

    public ApiResult<PoolView> ScaleAppPool(string name, AppPoolScale request) =>
        Post(ApiRoutes.AppPoolScale(name), request, Json.AppPoolScale, Json.PoolView);

    public ApiResult<PoolDeleteResponse> DeleteAppPool(string name, bool force) =>
        Send("DELETE", ApiRoutes.AppPool(name) + (force ? "?force=true" : string.Empty), default, Json.PoolDeleteResponse);

    public ApiResult<AppReclaimResponse> ReclaimApp(AppReclaim request) =>
        Post(ApiRoutes.AppPoolsReclaim, request, Json.AppReclaim, Json.AppReclaimResponse);

    public ApiResult<ReservedList> ListReserved() =>
        Send("GET", ApiRoutes.Reserved, default, Json.ReservedList);

    public ApiResult<ReservedChangeResponse> AddReserved(ReservedChange change) =>
        Post(ApiRoutes.Reserved, change, Json.ReservedChange, Json.ReservedChangeResponse);

    public ApiResult<ReservedChangeResponse> RemoveReserved(ReservedChange change) =>
        Post(ApiRoutes.ReservedRemove, change, Json.ReservedChange, Json.ReservedChangeResponse);

    public ApiResult<NodeList> ListNodes() =>
        Send("GET", ApiRoutes.Nodes, default, Json.NodeList);

    /// <summary>Releases the non-static addresses of a node that is gone for good (refused while its agent is alive).</summary>
    public ApiResult<NodeForgetResponse> ForgetNode(string name) =>
        Send("POST", ApiRoutes.NodeForget(name), default, Json.NodeForgetResponse);

    public ApiResult<ConflictList> ListConflicts() =>
        Send("GET", ApiRoutes.Conflicts, default, Json.ConflictList);

    public ApiResult<ConflictView> ClearConflict(ConflictClear request) =>
        Post(ApiRoutes.ConflictsClear, request, Json.ConflictClear, Json.ConflictView);

    /// <summary>Every endpoint, or only the one named <paramref name="name"/> (a 404 problem when none).</summary>
    public ApiResult<EndpointList> ListEndpoints(string? name = null) =>
        Send("GET", name is null ? ApiRoutes.Endpoints : $"{ApiRoutes.Endpoints}?name={Uri.EscapeDataString(name)}", default, Json.EndpointList);

    public ApiResult<EndpointReleaseResponse> ReleaseEndpoints(EndpointReleaseRequest request) =>
        Post(ApiRoutes.EndpointsRelease, request, Json.EndpointReleaseRequest, Json.EndpointReleaseResponse);

    public ApiResult<IReadOnlyList<AllocationView>> ListAllocations(string? pool, string? node, string? network)
    {
        var query = new List<string>(3);
        AddQuery(query, "pool", pool);
        AddQuery(query, "node", node);
        AddQuery(query, "network", network);
        string uri = ApiRoutes.Allocations + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query));
        return Send("GET", uri, default, Json.IReadOnlyListAllocationView);
    }

    /// <summary>The Prometheus text of /metrics, or the problem.</summary>
    public ApiResult<string> GetMetricsText()
    {
        Exchange exchange = Call("GET", ApiRoutes.Metrics, default);
        if (exchange.Problem is { } problem)
        {
            return ApiResult<string>.Failure(problem);
        }

        string text = Encoding.UTF8.GetString(exchange.Answer.Body);
        return exchange.Answer.IsSuccess
            ? ApiResult<string>.Success(text)
            : ApiResult<string>.Failure(UnexpectedAnswer(exchange.Answer.Status, text));
    }

    private static void AddQuery(List<string> query, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add($"{key}={Uri.EscapeDataString(value)}");
        }
    }

    private ApiResult<TResponse> Post<TRequest, TResponse>(
        string route, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType)
        where TResponse : class =>
        Post(route, JsonSerializer.SerializeToUtf8Bytes(body, requestType), Reader(responseType));

    /// <param name="limit">The agent's limit on this route's body: 1 MiB, the import route's larger.</param>
    private ApiResult<TResponse> Post<TResponse>(string route, byte[] json, Func<byte[], TResponse?> read, long limit = ApiLimits.MaxRequestBodyBytes)
        where TResponse : class
    {
        // The agent would refuse it anyway, but only after reading the head, while this side is still writing: refused
        // here, the caller learns the real reason instead of a broken pipe or a timeout.
        return json.Length > limit
            ? ApiResult<TResponse>.Failure(TooLarge(route, json.Length, limit))
            : Send("POST", route, json, read);
    }

    private static Func<byte[], T?> Reader<T>(JsonTypeInfo<T> type) => body => JsonSerializer.Deserialize(body, type);

    private ApiResult<T> Send<T>(string method, string route, ReadOnlySpan<byte> body, JsonTypeInfo<T> responseType)
        where T : class =>
        Send(method, route, body, Reader(responseType));

    private ApiResult<T> Send<T>(string method, string route, ReadOnlySpan<byte> body, Func<byte[], T?> read)
        where T : class
    {
        Exchange exchange = Call(method, route, body);
        if (exchange.Problem is { } problem)
        {
            return ApiResult<T>.Failure(problem);
        }

        HttpAnswer answer = exchange.Answer;
        if (!answer.IsSuccess)
        {
            return ApiResult<T>.Failure(ReadProblem(answer.Status, answer.Body));
        }

        try
        {
            T? value = answer.Body.Length == 0 ? null : read(answer.Body);
            return value is null
                ? ApiResult<T>.Failure(InvalidAnswer($"HTTP {answer.Status} with an empty body"))
                : ApiResult<T>.Success(value);
        }
        catch (JsonException e)
        {
            return ApiResult<T>.Failure(InvalidAnswer($"HTTP {answer.Status} with a body that is not the expected JSON: {e.Message}"));
        }
    }

    /// <summary>One request; a transport failure becomes the problem a person can act on.</summary>
    private Exchange Call(string method, string route, ReadOnlySpan<byte> body)
    {
        try
        {
            return new Exchange(_transport.Send(method, route, body), null);
        }
        catch (TimeoutException e)
        {
            return new Exchange(default, TimedOut(e));
        }
        catch (IOException e)
        {
            return new Exchange(default, Unreachable(e));
        }
        catch (InvalidDataException e)
        {
            return new Exchange(default, UnexpectedAnswer(0, e.Message));
        }
        catch (ArgumentException)
        {
            // The socket refuses the path (empty, or longer than sun_path holds).
            return new Exchange(default, BadSocketPath());
        }
    }

    private static Problem ReadProblem(int status, byte[] body)
    {
        try
        {
            Problem? problem = body.Length == 0 ? null : CniAnswerReader.Problem(body);
            if (problem is not null && !string.IsNullOrEmpty(problem.Detail))
            {
                return problem;
            }
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy, a crash page): fall through to a generic problem with the raw text.
        }

        return UnexpectedAnswer(status, Encoding.UTF8.GetString(body));
    }

    private Problem Unreachable(Exception e)
    {
        string why = !File.Exists(SocketPath) ? "the socket file does not exist" : e.Message;
        return ProblemKinds.AgentUnreachable.ToProblem(
            $"cannot reach the underpool agent at {SocketPath}: {why}. Is underpoold running on this node? "
            + $"Start it with 'systemctl start underpoold' or 'underpoold --socket {SocketPath} --node NAME'.");
    }

    // Not "unreachable": the request may have reached the agent and may still complete, so callers must not
    // assume nothing happened (the CLI exits 4, not 3).
    private Problem TimedOut(TimeoutException e) => ProblemKinds.AgentTimeout.ToProblem(
        $"the underpool agent at {SocketPath} gave {e.Message}; the request may still complete. "
        + "Check the agent's log (journalctl -u underpoold) and its store.");

    private Problem BadSocketPath() => ProblemKinds.InvalidSocketPath.ToProblem(
        $"'{SocketPath}' is not a usable unix socket path: it must be non-empty and at most {MaxSocketPathBytes} bytes long");

    /// <summary>The problem of a success answer that cannot be used as one: <paramref name="why"/> says what is wrong with it.</summary>
    /// <remarks>CNI code 11: the request may have been served (an ADD may hold addresses), so the runtime must retry or
    /// DEL rather than trust a result nobody can read; an ADD retried gets the same addresses back.</remarks>
    public static Problem InvalidAnswer(string why) =>
        ProblemKinds.AgentAnswerInvalid.ToProblem($"the agent's answer is invalid: {Truncate(why)}");

    private static Problem TooLarge(string route, int bytes, long limit) => ProblemKinds.RequestTooLarge.ToProblem(
        string.Create(
            CultureInfo.InvariantCulture,
            $"request too large: the request to {route} would be {bytes} bytes of JSON, over the agent's limit of "
            + $"{limit} bytes ({limit >> 20} MiB); nothing was sent"));

    private static Problem UnexpectedAnswer(int status, string text) =>
        ProblemKinds.AgentError.ToProblem($"the agent answered HTTP {status}: {Truncate(text)}", status);

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private readonly record struct Exchange(HttpAnswer Answer, Problem? Problem);
}
