namespace Underpool.Kubernetes.Pods;

/// <summary>Why the pod an ADD names cannot be the one it claims to be.</summary>
public enum PodIdentityProblem
{
    /// <summary>No pod of that namespace/name exists (deleted, or never was).</summary>
    NotFound,

    /// <summary>A pod of that name exists with another UID: the ADD is for an older (or newer) pod of the same name.</summary>
    UidMismatch,
}

/// <summary>The runtime named a pod the API server does not have, or a pod of that name with another UID. Decided by
/// UID, never by name alone: a re-created pod of the same name is another pod (peers freed live addresses by name).</summary>
public sealed class PodIdentityException : Exception
{
    public PodIdentityException()
    {
    }

    public PodIdentityException(string message)
        : base(message)
    {
    }

    public PodIdentityException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PodIdentityException(PodIdentityProblem problem, string podKey, string? expectedUid, string? actualUid)
        : base(problem == PodIdentityProblem.NotFound
            ? $"pod {podKey} does not exist on the Kubernetes API server"
            : $"pod {podKey} has uid {actualUid}, not {expectedUid} as K8S_POD_UID says: the ADD is for another pod of that name")
    {
        Problem = problem;
        PodKey = podKey;
        ExpectedUid = expectedUid;
        ActualUid = actualUid;
    }

    public PodIdentityProblem Problem { get; }

    public string PodKey { get; } = "";

    public string? ExpectedUid { get; }

    public string? ActualUid { get; }
}
