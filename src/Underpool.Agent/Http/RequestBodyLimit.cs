using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Underpool.Agent.Http;

/// <summary>A route-specific request body limit in place of the server-wide one.</summary>
internal static class RequestBodyLimit
{
    /// <summary>Lets this request's body be up to <paramref name="bytes"/> long (set before anything reads it).</summary>
    public static HttpContext WithBodyLimit(this HttpContext http, long bytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bytes;
        }

        return http;
    }
}
