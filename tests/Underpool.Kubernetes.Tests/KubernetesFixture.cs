using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Underpool.Kubernetes.Api;
using Underpool.Testing;
using Underpool.Testing.Kubernetes;

namespace Underpool.Kubernetes.Tests;

/// <summary>The base of the integration tests: a fake API server of its own per test, and the real client on it.</summary>
public abstract class KubernetesFixture : IAsyncLifetime
{
    /// <summary>Fast retries, so recovery tests take milliseconds, not the production half second.</summary>
    internal static readonly Backoff FastBackoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400));

    internal static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    internal FakeKubernetesApiServer Server { get; private set; } = null!;

    internal KubernetesApi Api { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await FakeKubernetesApiServer.StartNewAsync();
        Server.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        Api = NewApi(TimeSpan.FromSeconds(2));
    }

    public virtual async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }

    internal KubernetesApi NewApi(TimeSpan deadline) => KubernetesApi.Create(Server.ClientConfiguration(), deadline);

    internal static Task WaitAsync(Func<bool> condition, string description) =>
        Condition.WaitUntilAsync(_ => Task.FromResult(condition()), Generous, description);

    internal static NullLogger Log => NullLogger.Instance;
}
