namespace Underpool.Deploy.Tests.Support;

/// <summary>The value sets every chart check runs on: the defaults and each non-default shape an admin can choose.</summary>
internal static class ValueSets
{
    public static readonly ValueSet Default = new("default", "");

    public static readonly ValueSet EtcdWithTls = new("etcd with TLS", """
        store:
          etcd:
            endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
            prefix: /underpool-prod
            tlsSecret: underpool-etcd-client
        """);

    public static readonly ValueSet Privileged = new("privileged", """
        agent:
          privileged: true
          uplink: bond0
          conflictProbe: false
        """);

    public static readonly ValueSet Metrics = new("metrics on", """
        metrics:
          enabled: true
          port: 9700
        """);

    public static readonly ValueSet Pools = new("pools", """
        pools:
          - name: vlan20-a
            subnet: 10.20.0.0/24
            ranges: [10.20.0.10-10.20.0.99, 10.20.0.120]
            exclude: [10.20.0.53]
            gateway: 10.20.0.1
            routes:
              - dst: 0.0.0.0/0
                gw: 10.20.0.1
              - dst: 10.99.0.0/16
            vlan: 20
            nodes: [node-a, node-b]
            nodeSelector: rack in (r1,r2)
            default: true
            probe: "off"
            checkGateway: warn
          - name: vlan20-v6
            subnet: fd00:20::/64
            disabled: true
        """);

    public static readonly ValueSet EmbeddedSingleNode = new("embedded on one node", """
        singleNode: true
        store:
          type: embedded
          embedded:
            hostPath: /var/lib/underpool-one
        agent:
          socketDir: /run/underpool-one
          extraArgs: [--gc-grace=45]
        """);

    public static IEnumerable<ValueSet> All => [Default, EtcdWithTls, Privileged, Metrics, Pools, EmbeddedSingleNode];

    public static TheoryData<string> Names() => new(All.Select(v => v.Name));

    public static ValueSet Named(string name) => All.Single(v => v.Name == name);
}
