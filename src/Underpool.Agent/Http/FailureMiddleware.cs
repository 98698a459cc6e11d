using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Ipam;

namespace Underpool.Agent.Http;

/// <summary>Turns an exception that escaped a handler into a problem body: a broken store is "try again later"
/// (CNI 11) for the runtime, anything else is our bug (500) and is logged with its stack.</summary>
public sealed partial class FailureMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<FailureMiddleware> _log;

    public FailureMiddleware(RequestDelegate next, ILogger<FailureMiddleware> log)
    {
        _next = next;
        _log = log;
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
            Failure failure;
            if (e is DbException or TimeoutException or IOException)
            {
                LogStoreFailure(http.Request.Path, e.Message);
                failure = Failure.StoreUnavailable($"the store failed: {e.Message}; nothing was changed, try again");
            }
            else
            {
                LogBug(e, http.Request.Path);
                failure = new Failure("internal-error", 500, $"the agent hit an internal error ({e.GetType().Name}: {e.Message}); see its log", 102);
            }

            await ApiEndpoints.WriteProblemAsync(http, failure).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "store failure serving {Path}: {Error}")]
    private partial void LogStoreFailure(string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error serving {Path}")]
    private partial void LogBug(Exception exception, string path);
}
