extern alias fullclient;

using System.Text.Json.Nodes;
using Underpool.Deploy.Tests.Support;

namespace Underpool.Deploy.Tests.Chart;

/// <summary>The chart as helm sees it and as the API server would read it, for every value set.</summary>
public sealed class ChartRenderTests
{
    private static readonly string[] StandardLabels =
        ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by"];

    private static readonly HashSet<string> ClusterScoped = ["ClusterRole", "ClusterRoleBinding", "Namespace", "PriorityClass"];

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Helm_lint_passes_in_strict_mode(string values)
    {
        Ran lint = await Helm.LintAsync(ValueSets.Named(values));

        Assert.True(lint.ExitCode == 0, lint.Describe());
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Every_rendered_object_reads_as_its_Kubernetes_kind_with_no_unknown_field(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));

        // Strict: a misspelt field (mountPropogation) or one at the wrong level is an error, as the API server's
        // strict field validation would make it; the client's models are generated from the API's OpenAPI schema.
        List<object> objects = fullclient::k8s.KubernetesYaml.LoadAllFromString(rendered.Text, strict: true);

        Assert.Equal(rendered.Objects.Count, objects.Count);
        Assert.Contains(objects, o => o is fullclient::k8s.Models.V1DaemonSet);
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Every_object_and_pod_template_has_the_standard_labels(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));

        foreach (JsonObject obj in rendered.Objects)
        {
            AssertLabelled(obj["metadata"], $"{obj["kind"]} {obj["metadata"]?["name"]}");
            if (obj["spec"]?["template"] is { } template)
            {
                AssertLabelled(template["metadata"], $"the pod template of {obj["kind"]} {obj["metadata"]?["name"]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Every_namespaced_object_names_the_release_namespace_and_no_cluster_object_has_one(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));

        foreach (JsonObject obj in rendered.Objects)
        {
            string kind = (string)obj["kind"]!;
            string? ns = (string?)obj["metadata"]!["namespace"];
            Assert.True(
                ClusterScoped.Contains(kind) ? ns is null : ns == Helm.Namespace,
                $"{kind} {obj["metadata"]!["name"]} has namespace '{ns}'");
        }
    }

    [Fact]
    public async Task The_charts_appVersion_is_the_agents_version()
    {
        JsonObject chart = Yaml.Document(await File.ReadAllTextAsync(Path.Combine(Repository.Chart, "Chart.yaml")));
        Ran version = (await Run.ProgramAsync(Repository.Program("underpoold"), ["--version"])).EnsureSuccess();

        Assert.Equal($"underpoold {chart["appVersion"]}", version.Output.Trim());
    }

    private static void AssertLabelled(JsonNode? metadata, string what)
    {
        JsonObject? labels = metadata?["labels"]?.AsObject();
        string[] missing = StandardLabels.Where(l => labels?[l] is not JsonValue v || string.IsNullOrEmpty(v.ToString())).ToArray();
        Assert.True(missing.Length == 0, $"{what} lacks {string.Join(", ", missing)}");
    }
}
