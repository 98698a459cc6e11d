namespace Underpool.Cli.Import;

/// <summary>How `import whereabouts|spiderpool` reads its pool objects.</summary>
/// <param name="IfName">The interface of allocations that name none (older Whereabouts, Spiderpool 0.8 and later).</param>
/// <param name="CreatePools">Create a pool per object, named after it, and file its addresses there.</param>
/// <param name="Only">Only the objects of these names (metadata.name); all of them when empty.</param>
internal sealed record CustomResourceOptions(string? IfName, bool CreatePools, IReadOnlyCollection<string> Only)
{
    public bool Selects(KubeObject pool) => Only.Count == 0 || Only.Contains(pool.Name);

    /// <summary>The interface of an allocation: the one it names, else --ifname; null (with an error) when neither.</summary>
    public string? InterfaceOf(string? named, KubeObject pool, YamlDotNet.RepresentationModel.YamlNode at, InputErrors errors)
    {
        if (!string.IsNullOrEmpty(named))
        {
            return named;
        }

        if (IfName is null)
        {
            errors.Add(pool.Error(at, "the allocation names no interface (older versions kept none); give the pods' interface with --ifname"));
        }

        return IfName;
    }
}
