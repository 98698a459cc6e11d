namespace Underpool.Core.Pools;

/// <summary>How a label requirement compares a node's label with its values.</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
