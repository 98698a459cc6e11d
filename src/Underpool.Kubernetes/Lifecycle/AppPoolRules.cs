using System.Globalization;
using Underpool.Kubernetes.Annotations;

namespace Underpool.Kubernetes.Lifecycle;

/// <summary>A Deployment's application pool (pure): annotated <c>underpool.io/app-pool-subnet: POOL</c> and
/// <c>underpool.io/app-pool-size: "N"</c> (fixed) or <c>"+N"</c> (replicas + N; the default is "+0"), its pool is
/// created and resized to match, never below one address (a Deployment scaled to zero keeps a pool to come back to).
/// When the watch sees it deleted, its pools are reclaimed unless <c>underpool.io/app-pool-reclaim: "false"</c>
/// (stored as the pool's Keep when it was created). Pools of applications the watch never saw deleted are left
/// alone: an application pool may be for a workload that is not a Deployment.</summary>
internal static class AppPoolRules
{
    public static IEnumerable<LifecycleAction> Decide(LifecycleSnapshot snapshot, List<AnnotationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (DeploymentInfo deployment in snapshot.Deployments.Values.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!deployment.Annotations.TryGetValue(UnderpoolAnnotations.AppPoolSubnet, out string? subnet))
            {
                continue;
            }

            Checked<(int Size, bool Keep)> wanted = Wanted(deployment);
            if (!wanted.IsValid)
            {
                problems.Add(wanted.Problem);
                continue;
            }

            List<AppPoolState> pools = snapshot.AppPools.Where(p => p.App == deployment.Key).ToList();
            (int size, bool keep) = wanted.Value;
            if (pools.Count == 0 || pools.Sum(p => p.Size) != size || pools.Any(p => p.Keep != keep))
            {
                string now = pools.Count == 0 ? "has no application pool" : $"has {pools.Sum(p => p.Size)} addresses";
                yield return new EnsureAppPool(deployment.Key, subnet, size, keep, $"Deployment {deployment.Key} ({deployment.Replicas} replicas) wants {size} addresses of {subnet}; it {now}");
            }
        }

        foreach (DeploymentInfo deleted in snapshot.DeletedDeployments.Values.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!snapshot.Deployments.ContainsKey(deleted.Key) && snapshot.AppPools.Any(p => p.App == deleted.Key && !p.Keep))
            {
                yield return new ReclaimAppPools(deleted.Key, $"Deployment {deleted.Key} was deleted");
            }
        }
    }

    /// <summary>The size and keep flag the annotations ask for.</summary>
    public static Checked<(int Size, bool Keep)> Wanted(DeploymentInfo deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        string subject = $"Deployment {deployment.Key}";
        string text = deployment.Annotations.TryGetValue(UnderpoolAnnotations.AppPoolSize, out string? given) ? given : "+0";
        bool relative = text.StartsWith('+');
        if (!int.TryParse(relative ? text[1..] : text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || (!relative && number < 1))
        {
            return new AnnotationProblem(UnderpoolAnnotations.AppPoolSize, subject, AnnotationSource.Workload, $"'{text}' must be \"N\" (N >= 1 addresses) or \"+N\" (replicas + N)");
        }

        bool keep = false;
        if (deployment.Annotations.TryGetValue(UnderpoolAnnotations.AppPoolReclaim, out string? reclaim))
        {
            if (!bool.TryParse(reclaim, out bool reclaimed))
            {
                return new AnnotationProblem(UnderpoolAnnotations.AppPoolReclaim, subject, AnnotationSource.Workload, $"'{reclaim}' must be \"true\" or \"false\"");
            }

            keep = !reclaimed;
        }

        int size = relative ? deployment.Replicas + number : number;
        return (Math.Max(size, 1), keep);
    }
}
