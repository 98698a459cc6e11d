namespace Underpool.Core.Pools;

/// <summary>One comma-separated part of a label selector: a key, an operator and (for some operators) values.</summary>
internal sealed class LabelRequirement
{
    public LabelRequirement(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        Key = key;
        Operator = op;

        // Sorted and distinct so the canonical text does not depend on how the user wrote the set.
        Values = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public string Key { get; }

    public LabelOperator Operator { get; }

    public IReadOnlyList<string> Values { get; }

    /// <summary>Kubernetes semantics: != and notin also match a node that lacks the key.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        bool has = labels.TryGetValue(Key, out string? value);
        return Operator switch
        {
            LabelOperator.Equals => has && value == Values[0],
            LabelOperator.NotEquals => !has || value != Values[0],
            LabelOperator.In => has && Contains(value),
            LabelOperator.NotIn => !has || !Contains(value),
            LabelOperator.Exists => has,
            _ => !has,
        };
    }

    public override string ToString() => Operator switch
    {
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(',', Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(',', Values)})",
        LabelOperator.Exists => Key,
        _ => $"!{Key}",
    };

    private bool Contains(string? value)
    {
        foreach (string v in Values)
        {
            if (v == value)
            {
                return true;
            }
        }

        return false;
    }
}
