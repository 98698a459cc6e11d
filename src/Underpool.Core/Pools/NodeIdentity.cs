namespace Underpool.Core.Pools;

/// <summary>The node an agent runs on, as pool affinity sees it: its name and its labels.</summary>
public sealed record NodeIdentity(string Name, IReadOnlyDictionary<string, string> Labels);
