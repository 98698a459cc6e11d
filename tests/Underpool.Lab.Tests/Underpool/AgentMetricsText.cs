using System.Globalization;
using Underpool.Api;

namespace Underpool.Lab.Tests;

/// <summary>Reads an agent's Prometheus text (GET /metrics on its socket) for the counts a lab test reports.</summary>
internal static class AgentMetricsText
{
    public static string Read(string socket)
    {
        ApiResult<string> text = new AgentClient(socket, TimeSpan.FromSeconds(10)).GetMetricsText();
        Assert.True(text.IsSuccess, text.Problem?.Detail);
        return text.Value;
    }

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels contain <paramref name="label"/>
    /// (e.g. <c>reason="stale"</c>), 0 when there is none.</summary>
    public static double Sum(string text, string name, string? label = null)
    {
        double sum = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal)
                || line.Length == name.Length || line[name.Length] is not ('{' or ' ')
                || (label is not null && !line.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }

            sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
