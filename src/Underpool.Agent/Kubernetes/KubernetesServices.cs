using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Underpool.Agent.Kubernetes;

/// <summary>Kubernetes mode's part of the agent: registered only when it is on, so without it nothing changes (the
/// intent source then reads only the annotations the plugin forwarded).</summary>
internal static class KubernetesServices
{
    public static void Add(IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton(s => new KubernetesIntentSource(
            s.GetRequiredService<Pools.PoolRegistry>(),
            s.GetRequiredService<Microsoft.Extensions.Logging.ILogger<KubernetesIntentSource>>(),
            s.GetService<KubernetesLink>()));

        // It identifies every ADD: the annotations the plugin forwards count with or without Kubernetes mode.
        services.AddSingleton<Add.IAddIdentifier>(s => s.GetRequiredService<KubernetesIntentSource>());
        if (options.MetricsListen is not null)
        {
            services.AddHostedService<MetricsListener>();
        }

        if (!options.Kubernetes.Enabled)
        {
            return;
        }

        services.AddSingleton<KubernetesLink>();
        services.AddHostedService(s => s.GetRequiredService<KubernetesLink>());
        services.AddSingleton<LifecycleApplier>();
        services.AddSingleton<LifecycleLoop>();
        services.AddSingleton<IHostedService>(s => s.GetRequiredService<LifecycleLoop>());
    }
}
