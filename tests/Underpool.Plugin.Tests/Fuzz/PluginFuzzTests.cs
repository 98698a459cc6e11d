using System.Diagnostics;
using System.Globalization;
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

    private readonly ITestOutputHelper _output;

    public PluginFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Any_input_ends_in_a_cni_result_or_error_object_and_a_rejected_one_changes_nothing()
    {
        string plugin = Path.Combine(PublishedPrograms.Locate(out string? missing) ?? throw new InvalidOperationException(missing), "underpool");
        int seed = Setting(SeedVariable, Random.Shared.Next());
        int count = Setting(CasesVariable, DefaultCases);
        _output.WriteLine($"seed {seed}, {count} cases ({SeedVariable} and {CasesVariable} change them)");
        var clock = Stopwatch.StartNew();
        var generator = new FuzzCaseGenerator(seed);
        FuzzCase[] cases = [.. Enumerable.Range(0, count).Select(generator.Next)];
        TimeSpan generated = clock.Elapsed;

        var run = new FuzzRun(plugin, cases);
        InProcessAgent[] agents = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => StartAgentAsync()));
        try
        {
            await Task.WhenAll(agents.Select(agent => Task.Run(() => run.WorkAsync(agent))));
        }
        finally
        {
            foreach (InProcessAgent agent in agents)
            {
                await agent.DisposeAsync();
            }
        }

        _output.WriteLine($"generated in {generated.TotalSeconds:0.0} s, run in {(clock.Elapsed - generated).TotalSeconds:0.0} s on {Workers} workers");
        _output.WriteLine(string.Join(", ", run.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(
            run.Failures.IsEmpty,
            $"seed {seed}: {run.Failures.Count} case(s) broke the bar (replay with {SeedVariable}={seed}):\n\n" + string.Join("\n\n", run.Failures));
    }

    private static async Task<InProcessAgent> StartAgentAsync()
    {
        InProcessAgent agent = await InProcessAgent.StartAsync();
        await agent.CreatePoolAsync(PoolDefinitions.V4(isDefault: true));
        await agent.CreatePoolAsync(PoolDefinitions.V6(isDefault: true));
        return agent;
    }

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
