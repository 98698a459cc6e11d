using YamlDotNet.RepresentationModel;

namespace Underpool.Cli.Import;

/// <summary>A Kubernetes LabelSelector object (matchLabels, matchExpressions) in Underpool's selector syntax
/// ("k=v,k in (a,b),k notin (c),k,!k").</summary>
internal static class LabelSelectorText
{
    /// <summary>The selector as text; null when it selects everything (empty) or, with an error, when it cannot be read.</summary>
    public static string? From(YamlNode? selector, KubeObject owner, string path, InputErrors errors)
    {
        if (selector is null)
        {
            return null;
        }

        var terms = new List<string>();
        if (KubeObject.Child(selector, "matchLabels") is YamlMappingNode labels)
        {
            terms.AddRange(labels.Children.Select(l => $"{(l.Key as YamlScalarNode)?.Value}={(l.Value as YamlScalarNode)?.Value}"));
        }

        if (KubeObject.Child(selector, "matchExpressions") is YamlSequenceNode expressions)
        {
            foreach (YamlNode expression in expressions)
            {
                string? key = KubeObject.Text(expression, "key");
                string[] values = KubeObject.Child(expression, "values") is YamlSequenceNode list
                    ? list.OfType<YamlScalarNode>().Select(v => v.Value ?? string.Empty).ToArray()
                    : [];
                string? term = KubeObject.Text(expression, "operator") switch
                {
                    "In" => $"{key} in ({string.Join(',', values)})",
                    "NotIn" => $"{key} notin ({string.Join(',', values)})",
                    "Exists" => key,
                    "DoesNotExist" => $"!{key}",
                    _ => null,
                };
                if (key is null || term is null)
                {
                    errors.Add(owner.Error(expression, $"{path}.matchExpressions: needs a key and an operator In, NotIn, Exists or DoesNotExist"));
                    continue;
                }

                terms.Add(term);
            }
        }

        return terms.Count > 0 ? string.Join(',', terms) : null;
    }
}
