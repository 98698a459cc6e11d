using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>An attachment the runtime still uses, from a GC call's <c>cni.dev/valid-attachments</c>.</summary>
public sealed record GcAttachment(string ContainerId, string IfName)
{
    internal const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    /// <summary>The key libcni also sends, from before the spec settled the name.</summary>
    internal const string LegacyAttachmentsKey = "cni.dev/attachments";

    /// <summary>Reads the list under either key; null when neither is present (which is not the same as an empty list).</summary>
    internal static CniError? ReadList(JsonElement root, out IReadOnlyList<GcAttachment>? attachments)
    {
        attachments = null;
        string key = ValidAttachmentsKey;
        if (!JsonFields.TryGet(root, key, out JsonElement list))
        {
            key = LegacyAttachmentsKey;
            if (!JsonFields.TryGet(root, key, out list))
            {
                return null;
            }
        }

        const string Example = "[{\"containerID\": \"abc123\", \"ifname\": \"eth0\"}]";
        if (list.ValueKind != JsonValueKind.Array)
        {
            return JsonFields.WrongType(key, $"a list like {Example}", list);
        }

        var items = new List<GcAttachment>(list.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            string path = $"{key}[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return JsonFields.WrongType(path, "an object like {\"containerID\": \"abc123\", \"ifname\": \"eth0\"}", item);
            }

            if (ReadRequired(item, "containerID", path, out string containerId) is { } idError)
            {
                return idError;
            }

            if (ReadRequired(item, "ifname", path, out string ifName) is { } ifError)
            {
                return ifError;
            }

            items.Add(new GcAttachment(containerId, ifName));
            index++;
        }

        attachments = items;
        return null;
    }

    private static CniError? ReadRequired(JsonElement item, string name, string path, out string value)
    {
        value = string.Empty;
        if (JsonFields.OptionalString(item, name, $"{path}.{name}", out string? text) is { } error)
        {
            return error;
        }

        if (string.IsNullOrEmpty(text))
        {
            return new CniError(CniErrorCode.InvalidNetworkConfig, $"{path}.{name} is missing or empty; each attachment needs \"containerID\" and \"ifname\"");
        }

        value = text;
        return null;
    }
}
