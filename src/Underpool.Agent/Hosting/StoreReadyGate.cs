using Microsoft.AspNetCore.Http;
using Underpool.Agent.Http;
using Underpool.Agent.Ipam;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Hosting;

/// <summary>Until the agent has reached its store, every route but STATUS, health and metrics answers 503 "try
/// again later" (CNI 11) with the reason: the pool view is not primed, so nothing could be decided right.</summary>
internal sealed class StoreReadyGate(RequestDelegate next, StoreReadiness readiness)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (readiness.IsReady || http.Request.Path.Value is ApiRoutes.Status or ApiRoutes.Health or ApiRoutes.Metrics)
        {
            return next(http);
        }

        return ApiEndpoints.WriteProblemAsync(
            http, Failure.StoreUnavailable($"the agent has not reached its store yet: {readiness.Reason}"));
    }
}
