using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Store;

namespace Underpool.Agent.Import;

/// <summary>One attachment of an import request, checked and parsed: the key it is filed under, its node and its
/// addresses (each with the pool the request named for it, if any). <paramref name="Index"/> is its place in the request.</summary>
internal sealed record ImportCandidate(
    int Index,
    AttachmentKey Key,
    string Node,
    ImportAttachment Source,
    IReadOnlyList<(IpAddress Address, string? Pool)> Addresses);
