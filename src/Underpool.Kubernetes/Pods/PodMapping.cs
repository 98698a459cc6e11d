using k8s.Models;
using Underpool.Kubernetes.Annotations;

namespace Underpool.Kubernetes.Pods;

/// <summary>From the client's <see cref="V1Pod"/> to what the agent keeps.</summary>
internal static class PodMapping
{
    public static PodInfo ToInfo(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        V1ObjectMeta meta = pod.Metadata;
        return new PodInfo
        {
            Namespace = meta.NamespaceProperty ?? "",
            Name = meta.Name,
            Uid = meta.Uid ?? "",
            NodeName = pod.Spec?.NodeName,
            Phase = Enum.TryParse(pod.Status?.Phase, out PodPhase phase) ? phase : PodPhase.Unknown,
            DeletionTimestamp = meta.DeletionTimestamp is { } deletion ? new DateTimeOffset(DateTime.SpecifyKind(deletion, DateTimeKind.Utc)) : null,
            DeletionGracePeriodSeconds = meta.DeletionGracePeriodSeconds,
            Controller = ControllerOf(meta),
            Annotations = UnderpoolAnnotations.Only(meta.Annotations),
        };
    }

    public static OwnerReference? ControllerOf(V1ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        V1OwnerReference? controller = meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return controller is null ? null : new OwnerReference(controller.ApiVersion, controller.Kind, controller.Name, controller.Uid);
    }
}
