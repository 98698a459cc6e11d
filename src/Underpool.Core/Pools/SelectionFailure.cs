namespace Underpool.Core.Pools;

/// <summary>A failed pool selection: what kind of mistake, and a sentence a person can act on.</summary>
public sealed record SelectionFailure(SelectionFailureKind Kind, string Message);
