using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Underpool.Deploy.Tests.Support;

/// <summary>YAML (YamlDotNet) as JSON nodes, the easier shape to walk and compare. Plain scalars become what YAML 1.2's
/// core schema says (null, booleans, integers), quoted ones stay strings, as the API server reads them. A key given
/// twice fails the conversion, as it should fail a review.</summary>
internal static class Yaml
{
    /// <summary>Every document of a multi-document stream that is a mapping (empty documents are left out).</summary>
    public static IReadOnlyList<JsonObject> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Select(m => (JsonObject)ToJson(m)!).ToList();
    }

    public static JsonObject Document(string text) => Documents(text).Single();

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach ((YamlNode key, YamlNode value) in mapping.Children)
        {
            string name = ((YamlScalarNode)key).Value ?? "";
            if (result.ContainsKey(name))
            {
                throw new InvalidDataException($"key '{name}' appears twice at {key.Start}");
            }

            result[name] = ToJson(value);
        }

        return result;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int small) => JsonValue.Create(small),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) => JsonValue.Create(number),
            _ => JsonValue.Create(value),
        };
    }
}
