using System.Text.Json;
using Underpool.Api.Contracts;

namespace Underpool.Kubernetes.Annotations;

/// <summary>Reads the pool annotations into a <see cref="PoolChoice"/>; names are checked against the pools later.</summary>
internal static class PoolAnnotationParser
{
    public const string ByInterfaceExample = """[{"interface":"net1","ipv4":["pool-a"],"ipv6":["pool-a6"]}]""";
    public const string PoolsExample = """{"ipv4":["pool-a"],"ipv6":["pool-a6"]}""";
    public const string ListExample = """["pool-a","pool-b"]""";

    private static readonly string[] FamilyKeys = ["ipv4", "ipv6"];
    private static readonly string[] InterfaceKeys = ["interface", "ipv4", "ipv6"];

    /// <summary><see cref="UnderpoolAnnotations.PoolsByInterface"/>: the entry of <paramref name="ifName"/>, or null
    /// when the list has none for it (the next source decides).</summary>
    public static bool TryParseByInterface(string text, string ifName, out PoolChoice? choice, out string? error)
    {
        choice = null;
        if (!JsonShapes.TryParse(text, out JsonDocument? document, out error))
        {
            return false;
        }

        using (document)
        {
            if (!JsonShapes.TryFindInterface(document!.RootElement, ifName, ByInterfaceExample, InterfaceKeys, out JsonElement? entry, out error))
            {
                return false;
            }

            return entry is null || TryFamilies(entry.Value, ByInterfaceExample, out choice, out error);
        }
    }

    /// <summary><see cref="UnderpoolAnnotations.Pools"/>.</summary>
    public static bool TryParsePools(string text, out PoolChoice? choice, out string? error)
    {
        choice = null;
        if (!JsonShapes.TryParse(text, out JsonDocument? document, out error))
        {
            return false;
        }

        using (document)
        {
            return JsonShapes.TryObject(document!.RootElement, PoolsExample, FamilyKeys, out error)
                && TryFamilies(document.RootElement, PoolsExample, out choice, out error);
        }
    }

    /// <summary>A namespace's default pools of one family, <c>["p1","p2"]</c>.</summary>
    public static bool TryParseList(string text, out IReadOnlyList<string> names, out string? error)
    {
        names = [];
        if (!JsonShapes.TryParse(text, out JsonDocument? document, out error))
        {
            return false;
        }

        using (document)
        {
            return JsonShapes.TryStrings(document!.RootElement, "the value", out names, out error) && NoEmptyName(names, out error);
        }
    }

    private static bool TryFamilies(JsonElement element, string example, out PoolChoice? choice, out string? error)
    {
        choice = null;
        error = null;
        IReadOnlyList<string> v4 = [];
        IReadOnlyList<string> v6 = [];
        bool valid = (!element.TryGetProperty("ipv4", out JsonElement e4) || JsonShapes.TryStrings(e4, "\"ipv4\"", out v4, out error))
            && (!element.TryGetProperty("ipv6", out JsonElement e6) || JsonShapes.TryStrings(e6, "\"ipv6\"", out v6, out error));
        if (!valid)
        {
            return false;
        }

        if (v4.Count == 0 && v6.Count == 0)
        {
            error = $"names no pool: give \"ipv4\" and/or \"ipv6\", like {example}";
            return false;
        }

        if (!NoEmptyName(v4, out error) || !NoEmptyName(v6, out error))
        {
            return false;
        }

        choice = new PoolChoice { Ipv4 = v4, Ipv6 = v6 };
        return true;
    }

    private static bool NoEmptyName(IReadOnlyList<string> names, out string? error)
    {
        error = names.Any(string.IsNullOrWhiteSpace) ? "has an empty pool name" : null;
        return error is null;
    }
}
