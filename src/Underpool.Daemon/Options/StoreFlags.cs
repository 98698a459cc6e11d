using Underpool.Agent;
using Underpool.Store.Etcd;

namespace Underpool.Daemon.Options;

/// <summary>Which store, and where it is: the embedded store's directory, the etcd store's options (validated by
/// <see cref="EtcdStoreOptions"/>, under these flags' names).</summary>
internal sealed class StoreFlags : IFlagGroup
{
    private static readonly EtcdOptionNames Names =
        new("--store etcd", "--etcd-endpoints", "--etcd-prefix", "--etcd-cert", "--etcd-key", "--etcd-ca", "--store-timeout");

    private StoreKind _kind = StoreKind.Embedded;
    private string _dataDir = DaemonOptions.DefaultDataDir;
    private EtcdStoreOptions _etcd = new();

    public bool TryRead(string flag, string value, List<string> errors)
    {
        switch (flag)
        {
            case "--store":
                ReadKind(value, errors);
                return true;
            case "--data-dir":
                _dataDir = value;
                return true;
            case "--etcd-endpoints":
                _etcd = _etcd with { Endpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                return true;
            case "--etcd-prefix":
                _etcd = _etcd with { Prefix = value };
                return true;
            case "--etcd-cert":
                _etcd = _etcd with { CertFile = value };
                return true;
            case "--etcd-key":
                _etcd = _etcd with { KeyFile = value };
                return true;
            case "--etcd-ca":
                _etcd = _etcd with { CaFile = value };
                return true;
            case "--store-timeout":
                if (FlagValues.TrySeconds(flag, value, 0.1, 60, errors, out TimeSpan timeout))
                {
                    _etcd = _etcd with { CallTimeout = timeout };
                }

                return true;
            default:
                return false;
        }
    }

    public DaemonOptions Apply(DaemonOptions options, List<string> errors)
    {
        if (_kind == StoreKind.Embedded && string.IsNullOrWhiteSpace(_dataDir))
        {
            errors.Add("--data-dir is empty");
        }
        else if (_kind == StoreKind.Etcd)
        {
            errors.AddRange(_etcd.Problems(Names));
        }

        return options with { Agent = options.Agent with { Store = _kind }, DataDir = _dataDir, Etcd = _etcd };
    }

    private void ReadKind(string value, List<string> errors)
    {
        StoreKind? kind = value switch
        {
            "embedded" => StoreKind.Embedded,
            "etcd" => StoreKind.Etcd,
            _ => null,
        };
        if (kind is { } known)
        {
            _kind = known;
        }
        else
        {
            errors.Add($"--store '{value}' is not supported; this build knows 'embedded' and 'etcd'");
        }
    }
}
