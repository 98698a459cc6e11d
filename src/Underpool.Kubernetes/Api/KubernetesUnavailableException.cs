namespace Underpool.Kubernetes.Api;

/// <summary>The Kubernetes API server could not be reached or did not answer in time. An <see cref="IOException"/>,
/// as the stores' unavailability is, so the agent answers "try again later" (CNI 11) for it; the message names the
/// API server and what was asked.</summary>
public sealed class KubernetesUnavailableException : IOException
{
    public KubernetesUnavailableException()
    {
    }

    public KubernetesUnavailableException(string message)
        : base(message)
    {
    }

    public KubernetesUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
