namespace Underpool.Store.Etcd;

/// <summary>What <see cref="EtcdStoreOptions.Problems"/> calls each field: a program names its own flags, so its
/// users read the flag they typed.</summary>
public sealed record EtcdOptionNames(
    string Store, string Endpoints, string Prefix, string CertFile, string KeyFile, string CaFile, string CallTimeout)
{
    /// <summary>The property names of <see cref="EtcdStoreOptions"/>.</summary>
    public static readonly EtcdOptionNames Properties =
        new("the etcd store", "Endpoints", "Prefix", "CertFile", "KeyFile", "CaFile", "CallTimeout");
}
