namespace Underpool.Lab.Tests;

/// <summary>The CNI verbs (CNI_COMMAND); named apart from Underpool.Cni.CniCommand so both can be imported.</summary>
public enum CniVerb
{
    Add,
    Del,
    Check,
    Version,
    Status,
    Gc,
}
