namespace Underpool.Store.Etcd.Tests;

/// <summary>The tests sharing <see cref="SharedEtcd"/>: xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedEtcdGroup : ICollectionFixture<SharedEtcd>
{
    public const string Name = "shared etcd";
}
