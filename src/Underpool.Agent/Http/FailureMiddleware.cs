using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Http;

/// <summary>Turns an exception that escaped a handler into a problem body: a broken store is "try again later"
/// (CNI 11) for the runtime, a request Kestrel refused is the client's mistake, anything else is our bug (500)
/// and is logged with its stack.</summary>
public sealed partial class FailureMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<FailureMiddleware> _log;

    public FailureMiddleware(RequestDelegate next, ILogger<FailureMiddleware> log)
    {
        _next = next;
        _log = log;
    }

    /// <summary>What an exception means for the client. Shared with the CNI endpoints so their metrics count a
    /// failure under the same type the client is told.</summary>
    public static Failure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            // Kestrel's own refusals (body too large, malformed framing); BadHttpRequestException derives from
            // IOException, so it must be matched before the store case.
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new Failure(
                "request-too-large",
                413,
                $"request too large: the body is over the agent's limit of {ApiLimits.MaxRequestBodyBytes} bytes (1 MiB); nothing was changed",
                7),
            BadHttpRequestException bad => new Failure("bad-request", bad.StatusCode, $"the request was refused: {bad.Message}", 7),

            // It knows whether the call changed anything (an etcd commit whose answer was lost may have) and says so.
            StoreUnavailableException unavailable => Failure.StoreUnavailable($"the store failed: {unavailable.Message}"),
            DbException or TimeoutException or IOException =>
                Failure.StoreUnavailable($"the store failed: {exception.Message}; nothing was changed, try again"),
            _ => new Failure(
                "internal-error", 500, $"the agent hit an internal error ({exception.GetType().Name}: {exception.Message}); see its log", 102),
        };
    }

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            await _next(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (its own deadline): nobody is left to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            Failure failure = Classify(e);
            if (failure.Status == 500)
            {
                LogBug(e, http.Request.Path);
            }
            else if (failure.Status >= 500)
            {
                LogStoreFailure(http.Request.Path, e.Message);
            }

            await ApiEndpoints.WriteProblemAsync(http, failure).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "store failure serving {Path}: {Error}")]
    private partial void LogStoreFailure(string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error serving {Path}")]
    private partial void LogBug(Exception exception, string path);
}
