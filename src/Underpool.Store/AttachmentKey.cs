namespace Underpool.Store;

/// <summary>What the CNI spec says is unique: one network attachment of one container interface.</summary>
public readonly record struct AttachmentKey(string Network, string ContainerId, string IfName)
{
    public override string ToString() => $"{Network}/{ContainerId}/{IfName}";
}
