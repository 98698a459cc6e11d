using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Underpool.Testing;

namespace Underpool.Deploy.Tests.Support;

/// <summary>A values file given to the chart, by name (test output says which one failed).</summary>
internal sealed record ValueSet(string Name, string Yaml)
{
    public override string ToString() => Name;
}

/// <summary>The real helm (scripts/install-tools.sh) on the chart. Renders are cached per value set: the chart does not
/// change while the tests run.</summary>
internal static class Helm
{
    public const string Release = "underpool";
    public const string Namespace = "kube-system";

    private static readonly ConcurrentDictionary<string, Lazy<Task<Rendered>>> Renders = new();

    public static Task<Rendered> TemplateAsync(ValueSet values) =>
        Renders.GetOrAdd(values.Name, _ => new Lazy<Task<Rendered>>(async () =>
        {
            Ran ran = (await RunWithValuesAsync(values, "template", Release, Repository.Chart, "--namespace", Namespace)).EnsureSuccess();
            return new Rendered(values, Yaml.Documents(ran.Output), ran.Output);
        })).Value;

    /// <summary>helm template without checking the outcome (for values the chart must refuse).</summary>
    public static Task<Ran> TryTemplateAsync(ValueSet values) =>
        RunWithValuesAsync(values, "template", Release, Repository.Chart, "--namespace", Namespace);

    public static Task<Ran> LintAsync(ValueSet values) =>
        RunWithValuesAsync(values, "lint", Repository.Chart, "--strict", "--namespace", Namespace);

    private static async Task<Ran> RunWithValuesAsync(ValueSet values, params string[] arguments)
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "values.yaml");
        await File.WriteAllTextAsync(file, values.Yaml);
        // HOME and the helm cache under the temp dir: helm writes its config there, never in the real home.
        return await Run.ProgramAsync(
            Repository.Tool("helm"),
            [.. arguments, "--values", file],
            new Dictionary<string, string?> { ["HOME"] = dir.Path, ["HELM_CACHE_HOME"] = dir.Path, ["HELM_CONFIG_HOME"] = dir.Path, ["HELM_DATA_HOME"] = dir.Path });
    }
}

/// <summary>What helm rendered: every object, and a few lookups the tests share.</summary>
internal sealed record Rendered(ValueSet Values, IReadOnlyList<JsonObject> Objects, string Text)
{
    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind) => OfKind(kind).Single();

    public JsonObject DaemonSet => Single("DaemonSet");

    public JsonObject PodSpec => DaemonSet["spec"]!["template"]!["spec"]!.AsObject();

    public JsonObject Agent => Container(PodSpec, "agent");

    public static JsonObject Container(JsonObject podSpec, string name) =>
        podSpec["containers"]!.AsArray().Concat(podSpec["initContainers"]?.AsArray() ?? []).Single(c => (string?)c!["name"] == name)!.AsObject();

    public static IEnumerable<string> Strings(JsonNode? array) => array?.AsArray().Select(n => (string)n!) ?? [];
}
