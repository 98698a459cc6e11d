using System.Net;
using System.Net.Sockets;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Underpool.Testing;

/// <summary>A real etcd cluster of 1 or 3 members on free loopback ports, started by the test and stopped by PID.</summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly EtcdMember[] _members;
    private readonly string _initialCluster;
    private readonly string _token = $"upl-{Guid.NewGuid():N}";
    private readonly Dictionary<string, GrpcChannel> _channels = [];

    private EtcdCluster(int size)
    {
        // Data on tmpfs when the machine has one: etcd fsyncs every commit, and the tests are not about disks.
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _directory = Directory.CreateDirectory(Path.Combine(root, $"upl-etcd-{Guid.NewGuid():N}")).FullName;
        int[] ports = FreePorts(2 * size);
        _members = Enumerable.Range(0, size).Select(i => new EtcdMember($"m{i}", _directory, ports[2 * i], ports[(2 * i) + 1])).ToArray();
        _initialCluster = string.Join(',', _members.Select(m => $"{m.Name}={m.PeerUrl}"));
    }

    public IReadOnlyList<string> ClientUrls => _members.Select(m => m.ClientUrl).ToArray();

    public EtcdMember this[int index] => _members[index];

    public int Size => _members.Length;

    /// <summary>Starts the members and waits until each answers a linearizable read; tries fresh ports again if a port
    /// was taken between finding it free and etcd binding it.</summary>
    public static async Task<EtcdCluster> StartAsync(int size)
    {
        for (int attempt = 1; ; attempt++)
        {
            var cluster = new EtcdCluster(size);
            try
            {
                foreach (EtcdMember member in cluster._members)
                {
                    member.Start(cluster._initialCluster, cluster._token);
                }

                await cluster.WaitReadyAsync(cluster._members);
                return cluster;
            }
            catch (Exception e)
            {
                string logs = cluster.Logs();
                await cluster.DisposeAsync();
                if (attempt < 3 && logs.Contains("address already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new InvalidOperationException($"etcd did not start: {e.Message}\n{logs}", e);
            }
        }
    }

    /// <summary>A cluster whose ports are chosen but whose members are not running yet (<see cref="StartMembersAsync"/>):
    /// for a client that must find etcd down first.</summary>
    public static EtcdCluster Reserve(int size) => new(size);

    /// <summary>Starts the members of a <see cref="Reserve"/>d cluster and waits until each answers.</summary>
    public async Task StartMembersAsync()
    {
        foreach (EtcdMember member in _members)
        {
            member.Start(_initialCluster, _token);
        }

        try
        {
            await WaitReadyAsync(_members);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"etcd did not start: {e.Message}\n{Logs()}", e);
        }
    }

    public Task KillAsync(int index) => _members[index].KillAsync();

    /// <summary>Starts a killed member again on its data and waits until it answers.</summary>
    public async Task RestartAsync(int index)
    {
        _members[index].Start(_initialCluster, _token);
        await WaitReadyAsync([_members[index]]);
    }

    /// <summary>The index of the member that is leader, asked through the maintenance Status API of running members.</summary>
    public async Task<int> LeaderAsync()
    {
        DateTime deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            for (int i = 0; i < _members.Length; i++)
            {
                if (!_members[i].IsRunning)
                {
                    continue;
                }

                try
                {
                    StatusResponse status = await Maintenance(_members[i]).StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                    if (status.Leader != 0 && status.Leader == status.Header.MemberId)
                    {
                        return i;
                    }
                }
                catch (RpcException)
                {
                    // Not answering (yet): ask the others.
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "no etcd member reports itself leader\n" + Logs());
            await Task.Delay(50);
        }
    }

    /// <summary>Deletes every key of a store's prefix (a test's backing data).</summary>
    public async Task DeletePrefixAsync(string prefix)
    {
        string root = prefix + "/";
        await Kv(FirstRunning()).DeleteRangeAsync(
            new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(root), RangeEnd = PrefixEnd(root) }, deadline: DateTime.UtcNow.AddSeconds(10));
    }

    /// <summary>Compacts the history up to the current revision: older revisions can no longer be watched from.</summary>
    public async Task CompactAsync()
    {
        KV.KVClient kv = Kv(FirstRunning());
        RangeResponse current = await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("/") }, deadline: DateTime.UtcNow.AddSeconds(5));
        await kv.CompactAsync(new CompactionRequest { Revision = current.Header.Revision, Physical = true }, deadline: DateTime.UtcNow.AddSeconds(10));
    }

    /// <summary>The end of every member's log, for a failure message.</summary>
    public string Logs() => string.Join("\n", _members.Select(m => $"--- etcd {m.Name} (pid {m.Pid}) {m.LogFile}\n{m.LogTail()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (GrpcChannel channel in _channels.Values)
        {
            channel.Dispose();
        }

        await Task.WhenAll(_members.Select(m => m.StopAsync()));
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a member that would not die may still hold a file; the PID kill above is what matters.
        }
    }

    private async Task WaitReadyAsync(IEnumerable<EtcdMember> members)
    {
        DateTime deadline = DateTime.UtcNow + ReadyTimeout;
        foreach (EtcdMember member in members)
        {
            while (true)
            {
                if (!member.IsRunning)
                {
                    throw new InvalidOperationException($"etcd {member.Name} exited while starting");
                }

                try
                {
                    // Linearizable, so it answers only once the cluster has a leader.
                    await Kv(member).RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("/ready") }, deadline: DateTime.UtcNow.AddSeconds(1));
                    break;
                }
                catch (RpcException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
    }

    private EtcdMember FirstRunning() => _members.First(m => m.IsRunning);

    /// <summary>A KV client on member <paramref name="index"/>'s channel (kept open until the cluster is disposed).</summary>
    public KV.KVClient KvClient(int index) => Kv(_members[index]);

    private KV.KVClient Kv(EtcdMember member) => new(Channel(member));

    private Maintenance.MaintenanceClient Maintenance(EtcdMember member) => new(Channel(member));

    private GrpcChannel Channel(EtcdMember member)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(member.ClientUrl, out GrpcChannel? channel))
            {
                channel = GrpcChannel.ForAddress(member.ClientUrl, new GrpcChannelOptions { MaxRetryAttempts = 0 });
                _channels[member.ClientUrl] = channel;
            }

            return channel;
        }
    }

    /// <summary>Distinct free loopback ports: all listeners stay open until every port is chosen, so none repeats.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>The range end covering every key that starts with <paramref name="prefix"/> (ASCII prefixes).</summary>
    private static ByteString PrefixEnd(string prefix) =>
        ByteString.CopyFromUtf8(prefix[..^1] + (char)(prefix[^1] + 1));
}
