using Underpool.Api.Contracts;

namespace Underpool.Cli.Import;

/// <summary>One address as another IPAM recorded it, before the addresses of one attachment are gathered.</summary>
/// <param name="ContainerId">CNI_CONTAINERID, or null when the source kept none (then <paramref name="PodUid"/> keys it).</param>
/// <param name="Pool">The pool to file it in (created by the import), or null: the pool that hands it out.</param>
/// <param name="Origin">Where it was found, for messages: a file, or an object and key.</param>
internal sealed record Claim(
    string? ContainerId,
    string? PodUid,
    string IfName,
    string Address,
    string? Pool,
    string? Node,
    string? PodNamespace,
    string? PodName,
    string Origin)
{
    /// <summary>The claims of one attachment (one container's, or one pod's when no container is known, interface)
    /// gathered into one import attachment, so its addresses (IPv4 and IPv6 from two pools) are filed together or not at all.</summary>
    public static List<ImportAttachment> Gather(IEnumerable<Claim> claims) =>
        claims.GroupBy(c => (c.ContainerId ?? "pod:" + c.PodUid, c.IfName))
            .Select(g =>
            {
                Claim first = g.First();
                return new ImportAttachment
                {
                    ContainerId = first.ContainerId,
                    IfName = first.IfName,
                    Node = g.Select(c => c.Node).FirstOrDefault(n => n is not null),
                    PodNamespace = first.PodNamespace,
                    PodName = first.PodName,
                    PodUid = first.PodUid,
                    Origin = string.Join(", ", g.Select(c => c.Origin).Distinct()),
                    Addresses = g.Select(c => new ImportAddress { Address = c.Address, Pool = c.Pool }).ToList(),
                };
            })
            .ToList();
}

/// <summary>What an import sends: its attachments and the pools to create first, plus warnings for the person.</summary>
internal sealed record ImportInput(List<ImportAttachment> Attachments, List<PoolDefinition> Pools, List<string> Warnings);
