using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Underpool.Cli.Import;

/// <summary>The objects of what `kubectl get ... -o yaml` or `-o json` printed: a List's items, or one object, in each
/// YAML document (JSON is read as the YAML it also is).</summary>
internal static class KubeDocument
{
    public static List<KubeObject> Load(string text, string source, InputErrors errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML or JSON: {Reason(e)}"));
            return [];
        }

        var objects = new List<KubeObject>();
        foreach (YamlDocument document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                if (!KubeObject.IsNull(document.RootNode))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{source}:{document.RootNode.Start.Line}: expected an object (a List or a single pool), found {document.RootNode.NodeType}"));
                }

                continue;
            }

            if (KubeObject.Text(root, "kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal))
            {
                AddItems(root, source, objects, errors);
            }
            else
            {
                objects.Add(new KubeObject(root, source));
            }
        }

        if (objects.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{source}: holds no objects");
        }

        return objects;
    }

    private static void AddItems(YamlMappingNode list, string source, List<KubeObject> objects, InputErrors errors)
    {
        YamlNode? items = KubeObject.Child(list, "items");
        if (items is null)
        {
            return; // An empty List: kubectl prints "items: []", but null means the same.
        }

        if (items is not YamlSequenceNode sequence)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{source}:{items.Start.Line}: the List's items is not a list"));
            return;
        }

        foreach (YamlNode item in sequence)
        {
            if (item is YamlMappingNode mapping)
            {
                objects.Add(new KubeObject(mapping, source));
            }
            else
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{source}:{item.Start.Line}: a List item is not an object"));
            }
        }
    }

    /// <summary>YamlDotNet's message without its "(Line: 3, Col: 1, Idx: 20) - (Line: ...): " prefix, which the caller
    /// already states.</summary>
    private static string Reason(YamlException e)
    {
        string message = e.InnerException?.Message ?? e.Message;
        int start = message.IndexOf("): ", StringComparison.Ordinal);
        string reason = message.StartsWith("(Line", StringComparison.Ordinal) && start > 0 ? message[(start + 3)..] : message;
        return reason.TrimEnd('.', ' ');
    }
}
