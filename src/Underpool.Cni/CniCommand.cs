namespace Underpool.Cni;

/// <summary>The verb in CNI_COMMAND.</summary>
public enum CniCommand
{
    Add,
    Del,
    Check,
    Version,
    Status,
    Gc,
}
