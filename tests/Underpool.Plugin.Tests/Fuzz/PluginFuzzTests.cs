using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>Execs the published NativeAOT plugin (the in-process one cannot show an abort) with thousands of damaged
/// network configs and CNI_* variables against real agents, and holds every call to what the spec and our bar demand.</summary>
public sealed class PluginFuzzTests
{
    private const string SeedVariable = "UNDERPOOL_FUZZ_SEED";
    private const string CasesVariable = "UNDERPOOL_FUZZ_CASES";
    private const int DefaultCases = 3000;
    private const int Workers = 2;
    private const int MaxReported = 10;

    /// <summary>A call talks to a local agent over a unix socket; ten seconds is hundreds of times what one takes.</summary>
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;

    public PluginFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Any_input_ends_in_a_cni_result_or_error_object_and_a_rejected_one_changes_nothing()
    {
        string plugin = Path.Combine(PublishedPrograms.Locate(out string? missing) ?? throw new InvalidOperationException(missing), "underpool");
        int seed = Setting(SeedVariable, Random.Shared.Next());
        int count = Setting(CasesVariable, DefaultCases);
        _output.WriteLine($"seed {seed}, {count} cases ({SeedVariable} and {CasesVariable} change them)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var generator = new FuzzCaseGenerator(seed);
        FuzzCase[] cases = [.. Enumerable.Range(0, count).Select(generator.Next)];
        TimeSpan generated = clock.Elapsed;

        var failures = new ConcurrentQueue<string>();
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int next = -1;
        InProcessAgent[] agents = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => StartAgentAsync()));
        try
        {
            // One agent per worker, and each worker runs its cases one at a time, so a rejected case can be held to
            // leaving that agent's store exactly as it found it: as the previous case left it (nothing else writes
            // allocations: the agents' sweeps are off).
            await Task.WhenAll(agents.Select(agent => Task.Run(async () =>
            {
                string before = Listing(agent.Client);
                int index;
                while ((index = Interlocked.Increment(ref next)) < cases.Length && failures.Count < MaxReported)
                {
                    FuzzCase fuzz = cases[index];
                    PluginExit exit = await PluginProcess.RunAsync(plugin, fuzz.Environment, fuzz.StdinFor(agent.Socket), CallLimit);
                    string? problem = PluginExitCheck.Problem(fuzz.EffectiveVerb, exit);
                    string after = Listing(agent.Client);
                    if (problem is null && exit.ExitCode == 1 && after != before)
                    {
                        problem = $"rejected, yet the store changed:\n  before: {before}\n  after:  {after}";
                    }

                    before = after;

                    outcomes.AddOrUpdate(Outcome(fuzz.EffectiveVerb, exit), 1, (_, n) => n + 1);
                    if (problem is not null)
                    {
                        failures.Enqueue($"{problem}\n{fuzz.Describe()}");
                    }
                }
            })));
        }
        finally
        {
            foreach (InProcessAgent agent in agents)
            {
                await agent.DisposeAsync();
            }
        }

        _output.WriteLine($"generated in {generated.TotalSeconds:0.0} s, run in {(clock.Elapsed - generated).TotalSeconds:0.0} s on {Workers} workers");
        _output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(
            failures.IsEmpty,
            $"seed {seed}: {failures.Count} case(s) broke the bar (replay with {SeedVariable}={seed}):\n\n" + string.Join("\n\n", failures));
    }

    private static async Task<InProcessAgent> StartAgentAsync()
    {
        InProcessAgent agent = await InProcessAgent.StartAsync();
        await agent.CreatePoolAsync(PoolDefinitions.V4(isDefault: true));
        await agent.CreatePoolAsync(PoolDefinitions.V6(isDefault: true));
        return agent;
    }

    private static string Listing(AgentClient client)
    {
        ApiResult<IReadOnlyList<AllocationView>> listing = client.ListAllocations(null, null, null);
        Assert.True(listing.IsSuccess, listing.Problem?.Detail);
        return string.Join("; ", listing.Value
            .Select(a => $"{a.Pool} {a.Address} {a.Network}/{a.ContainerId}/{a.IfName}")
            .Order(StringComparer.Ordinal));
    }

    /// <summary>"ADD exit 0", "DEL code 4": how the cases ended, printed so a run shows which paths it reached.</summary>
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

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
