using System.Text.Json.Nodes;
using Underpool.Deploy.Tests.Support;

namespace Underpool.Deploy.Tests.Chart;

/// <summary>The chart's README documents every value an admin can set.</summary>
public sealed class ValuesDocumentationTests
{
    [Fact]
    public async Task Every_leaf_value_of_values_yaml_is_named_in_the_charts_README()
    {
        JsonObject values = Yaml.Document(await File.ReadAllTextAsync(Path.Combine(Repository.Chart, "values.yaml")));
        string readme = await File.ReadAllTextAsync(Path.Combine(Repository.Chart, "README.md"));

        List<string> leaves = Leaves(values, "").ToList();
        string[] undocumented = leaves.Where(key => !readme.Contains($"`{key}`", StringComparison.Ordinal)).ToArray();

        Assert.True(leaves.Count > 20, $"only {leaves.Count} values found");
        Assert.True(undocumented.Length == 0, "not in deploy/helm/underpool/README.md (as `key`): " + string.Join(", ", undocumented));
    }

    [Fact]
    public async Task Every_pool_field_the_chart_renders_is_named_in_the_charts_README()
    {
        string template = await File.ReadAllTextAsync(Path.Combine(Repository.Chart, "templates", "pools.yaml"));
        string readme = await File.ReadAllTextAsync(Path.Combine(Repository.Chart, "README.md"));

        // {{ .subnet }}, {{- range .ranges }}, {{- with .gateway }}, {{- if .default }}: the pool fields read.
        string[] fields = System.Text.RegularExpressions.Regex.Matches(template, @"(?:range|with|if|\{\{) \.(?<f>[a-zA-Z]+)")
            .Select(m => m.Groups["f"].Value).Where(f => f is not "Values" and not "Release" and not "dst" and not "gw" and not "name").Distinct().ToArray();

        Assert.Contains("nodeSelector", fields);
        string[] undocumented = fields.Where(f => !readme.Contains($"`pools[].{f}`", StringComparison.Ordinal)).ToArray();
        Assert.True(undocumented.Length == 0, "pool fields not in the README (as `pools[].field`): " + string.Join(", ", undocumented));
    }

    /// <summary>Dotted paths of the leaves: scalars, lists and empty maps (a list is one value, set whole).</summary>
    private static IEnumerable<string> Leaves(JsonObject node, string prefix)
    {
        foreach ((string key, JsonNode? value) in node)
        {
            string path = prefix + key;
            if (value is JsonObject child && child.Count > 0 && key is not "resources")
            {
                foreach (string leaf in Leaves(child, path + "."))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
