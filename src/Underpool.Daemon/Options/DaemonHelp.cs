namespace Underpool.Daemon.Options;

/// <summary>underpoold --help.</summary>
internal static class DaemonHelp
{
    public const string Text = """
        underpoold - the Underpool agent: one per node, the only writer of the IPAM store.

        The 'underpool' CNI plugin and 'underpoolctl' talk to it over a unix socket (HTTP+JSON, mode 0600).

        Usage: underpoold --node NAME [options]

        Options:
          --node NAME             this node's name; pools with node affinity are matched against it: a
                                  DNS-1123 subdomain (lowercase letters, digits, '-', '.'; at most 253)
                                  (default: the host name, lowercased)
          --node-labels K=V,...   this node's labels, matched by pools' --node-selector (default: none)
          --socket PATH           where to listen (default: /run/underpool/agent.sock); its directory must
                                  be writable by root or this agent's user only, and so must every directory
                                  above it unless sticky (/tmp): whoever else can write there could replace
                                  the socket and answer the plugin in the agent's place
          --allow-insecure-socket-dir  start even when that check fails (default: refuse to start)
          --max-connections N     connections the socket holds at once; more are closed at once and the
                                  plugin reports 'try again later' (default: 512)
          --idle-timeout SECONDS  close a connection that sends no request, or no complete request headers,
                                  for this long (default: 10); clients send their request at once
          --node-ttl SECONDS      how long the store counts this node alive after a heartbeat; the
                                  agent beats every third of it (default: 15)
          --store embedded|etcd   where allocations live: 'embedded' is a SQLite file on this host
                                  (default), 'etcd' a cluster every node shares
          --data-dir DIR          the embedded store's directory (default: /var/lib/underpool);
                                  several agents on one host may share it
          --etcd-endpoints URLS   etcd client URLs, comma-separated (http://HOST:PORT or https://...)
          --etcd-prefix PREFIX    the key prefix Underpool owns in etcd (default: /underpool)
          --etcd-cert FILE        TLS client certificate for etcd (with --etcd-key)
          --etcd-key FILE         its private key
          --etcd-ca FILE          the CA that signed etcd's server certificate
          --store-timeout SECONDS deadline of every store call (default: 2); past it an ADD fails with
                                  CNI error 11 (try again later) instead of hanging
          --store-retry SECONDS   how long an ADD or DEL retries a store that is unavailable (an etcd
                                  leader election) before answering CNI error 11 (default: 10; 0 = no retry)
          --log-format json|text  structured JSON lines (default) or one readable line per event

        Conflict probing (before an ADD returns an address, ARP / NDP duplicate address detection on the uplink):
          --probe on|off          default for pools that do not set their own (default: on)
          --probe-timeout MS      wait after each probe round, 1-1000 ms (default: 15)
          --probe-attempts N      probe rounds, 1-10 (default: 2); nothing answering costs MS x N per ADD
          --uplink IFACE          the uplink when a netconf names no 'master' (default: none; then such
                                  ADDs are not probed)
          --uplink-netns PATH     the network namespace holding the uplink, e.g. /var/run/netns/node1
                                  (default: the agent's own)
          --quarantine-recheck S  seconds between re-probes of quarantined addresses this node found;
                                  quiet ones are freed (default: 60)

        Garbage collection (addresses of pods that went away without a DEL):
          --gc-interval SECONDS   how often to release this node's allocations whose network namespace
                                  path no longer exists (default: 60; 0 = never, 'underpoolctl gc run'
                                  still does it on request); static endpoints keep their addresses
                                  and are marked not running
          --gc-grace SECONDS      never touch an allocation younger than this, so an ADD in flight is
                                  safe (default: 30)
          --node-dead-after SECONDS  one agent, elected through the store, releases the non-static
                                  addresses of a node whose agent has been dead this long (default: 300;
                                  0 = never; 'underpoolctl node forget NAME' does it at once)

          -h, --help              show this text
          --version               print the version

        Examples:
          underpoold --node rack1-n1 --node-labels rack=r1,zone=a
          underpoold --node lab1 --socket /tmp/lab1.sock --data-dir /tmp/underpool --log-format text
          underpoold --node rack1-n1 --store etcd --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379
          underpoold --node lab1 --gc-interval 10 --gc-grace 30
          underpoold --node lab1 --uplink eth0 --uplink-netns /var/run/netns/lab1 --probe-timeout 20

        Metrics: GET /metrics on the socket, e.g.
          curl --unix-socket /run/underpool/agent.sock http://agent/metrics
        """ + KubernetesFlags.Help;
}
