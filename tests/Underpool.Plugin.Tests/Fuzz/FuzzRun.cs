using System.Collections.Concurrent;
using System.Text.Json;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>The cases of one fuzz run, shared by its workers (each with an agent of its own), and what they found.</summary>
internal sealed class FuzzRun
{
    private const int MaxReported = 10;

    /// <summary>A call talks to a local agent over a unix socket; ten seconds is hundreds of times what one takes.</summary>
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(10);

    private readonly string _plugin;
    private readonly FuzzCase[] _cases;
    private int _next = -1;

    public FuzzRun(string plugin, FuzzCase[] cases)
    {
        _plugin = plugin;
        _cases = cases;
    }

    /// <summary>Each case that broke the bar, described for replay; the run stops taking cases after ten.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>How many cases ended how ("ADD exit 0", "DEL code 4"), so a run shows which paths it reached.</summary>
    public ConcurrentDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs cases one at a time against <paramref name="agent"/> until none are left, so a rejected case can be
    /// held to leaving that agent's store exactly as the previous case left it (nothing else writes allocations: the
    /// agent's sweeps are off).</summary>
    public async Task WorkAsync(InProcessAgent agent)
    {
        string before = Listing(agent.Client);
        int index;
        while ((index = Interlocked.Increment(ref _next)) < _cases.Length && Failures.Count < MaxReported)
        {
            FuzzCase fuzz = _cases[index];
            PluginExit exit = await PluginProcess.RunAsync(_plugin, fuzz.Environment, fuzz.StdinFor(agent.Socket), CallLimit);
            string? problem = PluginExitCheck.Problem(fuzz.EffectiveVerb, exit);
            string after = Listing(agent.Client);
            if (problem is null && exit.ExitCode == 1 && after != before)
            {
                problem = $"rejected, yet the store changed:\n  before: {before}\n  after:  {after}";
            }

            before = after;
            Outcomes.AddOrUpdate(Outcome(fuzz.EffectiveVerb, exit), 1, (_, n) => n + 1);
            if (problem is not null)
            {
                Failures.Enqueue($"{problem}\n{fuzz.Describe()}");
            }
        }
    }

    private static string Listing(AgentClient client)
    {
        ApiResult<IReadOnlyList<AllocationView>> listing = client.ListAllocations(null, null, null);
        Assert.True(listing.IsSuccess, listing.Problem?.Detail);
        return string.Join("; ", listing.Value
            .Select(a => $"{a.Pool} {a.Address} {a.Network}/{a.ContainerId}/{a.IfName}")
            .Order(StringComparer.Ordinal));
    }

    private static string Outcome(string verb, PluginExit exit)
    {
        verb = verb is "ADD" or "DEL" or "CHECK" or "STATUS" or "GC" or "VERSION" ? verb : "other";
        if (exit.ExitCode != 1)
        {
            return $"{verb} exit {exit.ExitCode}";
        }

        try
        {
            using var document = JsonDocument.Parse(exit.Stdout);
            return $"{verb} code {document.RootElement.GetProperty("code").GetInt32()}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return $"{verb} unreadable";
        }
    }
}
