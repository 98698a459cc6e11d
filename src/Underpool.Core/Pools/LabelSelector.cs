using System.Diagnostics.CodeAnalysis;

namespace Underpool.Core.Pools;

/// <summary>A Kubernetes-style label selector: "rack=r1,zone in (a,b),!draining".</summary>
/// <remarks>A node matches when it meets every requirement. Grammar: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists), <c>!k</c> (does not exist).</remarks>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<LabelRequirement> _requirements;
    private readonly string _text;

    internal LabelSelector(IReadOnlyList<LabelRequirement> requirements)
    {
        // Sorted by key so two spellings of one selector print (and compare) the same.
        _requirements = requirements
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ThenBy(r => r.Operator)
            .ToArray();
        _text = string.Join(',', _requirements);
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the offending part and
    /// what was expected there.</summary>
    public static bool TryParse(
        string text,
        [NotNullWhen(true)] out LabelSelector? selector,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new LabelSelectorParser(text).TryParse(out selector, out error);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (LabelRequirement requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical text: requirements sorted by key, sets sorted, '=' for equality.</summary>
    public override string ToString() => _text;
}
