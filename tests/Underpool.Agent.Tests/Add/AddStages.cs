using Microsoft.Extensions.DependencyInjection;
using Underpool.Agent.Add;
using Underpool.Agent.Failures;
using Underpool.Agent.Hosting;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Embedded;
using Underpool.Testing;

namespace Underpool.Agent.Tests.Add;

/// <summary>ADD's stages as the agent wires them (AgentServices), without its host: no socket, no HTTP, no store
/// process (the embedded store in a temporary directory), and a segment in memory for the probes.</summary>
internal sealed class AddStages : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly SqliteIpamStore _store;
    private readonly ServiceProvider _services;

    private AddStages(TempDir dir, SqliteIpamStore store, ServiceProvider services, FakeProber segment)
    {
        _dir = dir;
        _store = store;
        _services = services;
        Segment = segment;
    }

    public FakeProber Segment { get; }

    public PoolRegistry Registry => _services.GetRequiredService<PoolRegistry>();

    public CandidatePicker Picker => _services.GetRequiredService<CandidatePicker>();

    public CandidateScreen Screen => _services.GetRequiredService<CandidateScreen>();

    public PoolChooser Chooser => _services.GetRequiredService<PoolChooser>();

    /// <summary>The stages over the given pools, probing on the fake uplink "fake0" when <paramref name="probe"/>.</summary>
    public static Task<AddStages> StartAsync(bool probe, params PoolDefinition[] pools) => StartAsync(probe, null, pools);

    /// <summary>The stages over the given pools, with <paramref name="clock"/> (when given) as the agent's clock.</summary>
    public static async Task<AddStages> StartAsync(bool probe, TimeProvider? clock, params PoolDefinition[] pools)
    {
        var segment = new FakeProber();
        var dir = new TempDir();
        var store = new SqliteIpamStore(dir.Path);
        await store.InitializeAsync(CancellationToken.None);
        var options = new AgentOptions
        {
            Node = "node1", Socket = "/nonexistent/agent.sock", Probe = probe, Uplink = probe ? "fake0" : null,
        };
        var services = new ServiceCollection();
        services.AddLogging();
        AgentServices.Add(services, options, store, segment);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        ServiceProvider provider = services.BuildServiceProvider();
        var stages = new AddStages(dir, store, provider, segment);
        PoolAdminService admin = provider.GetRequiredService<PoolAdminService>();
        foreach (PoolDefinition pool in pools)
        {
            Outcome<PoolView> created = await admin.CreateAsync(pool, CancellationToken.None);
            Assert.True(created.IsSuccess, created.Failure?.Detail);
        }

        await stages.Registry.CatchUpAsync(CancellationToken.None);
        return stages;
    }

    /// <summary>The pools an ADD of <paramref name="request"/> would draw from, as the chooser gives them.</summary>
    public IReadOnlyList<IReadOnlyList<PoolSpec>> Families(CniAddRequest request)
    {
        Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> families = Chooser.Choose(Intent(request));
        Assert.True(families.IsSuccess, families.Failure?.Detail);
        return families.Value!;
    }

    public static AddIntent Intent(CniAddRequest request)
    {
        Outcome<AddIntent> intent = AddIntent.From(request);
        Assert.True(intent.IsSuccess, intent.Failure?.Detail);
        return intent.Value!;
    }

    public static CniAddRequest Request(string containerId, string[]? v4 = null, string[]? v6 = null, string[]? requested = null) => new()
    {
        Attachment = InProcessAgent.Attachment(containerId),
        Pools = new PoolChoice { Ipv4 = v4 ?? [], Ipv6 = v6 ?? [] },
        RequestedIps = requested ?? [],
    };

    public bool IsTaken(string pool, string address) => Registry.IsUsed(pool, IpAddress.Parse(address));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }
}
