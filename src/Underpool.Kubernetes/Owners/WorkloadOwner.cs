namespace Underpool.Kubernetes.Owners;

/// <summary>The workload a pod belongs to, as the agent records it (<c>AllocationRecord.OwnerKind/OwnerName</c>).
/// <see cref="Kind"/> is the plain kind for Kubernetes' own groups (StatefulSet, Deployment, Job) and kind.group for
/// others (StatefulSet.apps.kruise.io), so a third-party kind is never mistaken for the built-in one.</summary>
/// <param name="IsStatefulSet">An <c>apps/v1</c> StatefulSet: its pods are static endpoints unless annotated otherwise.</param>
/// <param name="AppKey">"namespace/name" of the Deployment whose application pools the pod draws from, when it has one.</param>
internal sealed record WorkloadOwner(string Kind, string Name, bool IsStatefulSet, string? AppKey);
