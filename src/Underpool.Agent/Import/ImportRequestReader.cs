using Underpool.Agent.Failures;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Import;

/// <summary>Checks an import request and parses its attachments; every mistake is reported at once, and a request
/// with any is refused whole, before anything is written.</summary>
internal static class ImportRequestReader
{
    /// <summary>How many mistakes one refusal lists before it says how many more there are.</summary>
    private const int ErrorsShown = 10;

    public static Outcome<IReadOnlyList<ImportCandidate>> Read(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        KeyText(request.Source, "source", errors);
        KeyText(request.Network, "network", errors);
        if (request.Network.StartsWith('~'))
        {
            // '~' networks are Underpool's own bookkeeping (application pool carvings), never a runtime's.
            errors.Add($"network '{request.Network}' starts with '~', which no CNI network name does");
        }

        if (request.Attachments.Count > ImportRequest.MaxAttachments)
        {
            errors.Add($"{request.Attachments.Count} attachments in one request; send at most {ImportRequest.MaxAttachments} per request");
        }

        var candidates = new List<ImportCandidate>(request.Attachments.Count);
        for (int i = 0; i < request.Attachments.Count && errors.Count <= ErrorsShown; i++)
        {
            if (Candidate(i, request.Network, request.Attachments[i], errors) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        if (errors.Count == 0)
        {
            return candidates;
        }

        string more = errors.Count > ErrorsShown ? "; and more (fix these first)" : string.Empty;
        return Failure.InvalidRequest($"the import request is not valid, nothing was imported: {string.Join("; ", errors.Take(ErrorsShown))}{more}");
    }

    private static ImportCandidate? Candidate(int index, string network, ImportAttachment attachment, List<string> errors)
    {
        int before = errors.Count;
        string where = attachment.Origin is { Length: > 0 } origin ? $"attachments[{index}] ({PrintableText.Escape(origin)})" : $"attachments[{index}]";
        KeyText(attachment.IfName, $"{where}: ifName", errors);
        string? podUid = NullIfEmpty(attachment.PodUid);
        if (NullIfEmpty(attachment.ContainerId) is { } container)
        {
            KeyText(container, $"{where}: containerId", errors);
        }
        else if (podUid is null)
        {
            errors.Add($"{where}: needs a containerId, or a podUid when the source recorded no container (then the pod's DEL releases it)");
        }

        if (podUid is not null)
        {
            KeyText(podUid, $"{where}: podUid", errors);
        }

        if (attachment.Node is { } node && !NodeName.IsValid(node))
        {
            errors.Add($"{where}: node '{PrintableText.Escape(node)}' is not a node name (a DNS-1123 subdomain); leave it out when unknown");
        }

        foreach ((string what, string? text) in new[] { ("podNamespace", attachment.PodNamespace), ("podName", attachment.PodName) })
        {
            if (text is not null && PrintableText.Problem($"{where}: {what}", text) is { } problem)
            {
                errors.Add(problem);
            }
        }

        List<(IpAddress, string?)> addresses = Addresses(attachment, where, errors);
        if (errors.Count > before)
        {
            return null;
        }

        AttachmentKey key = NullIfEmpty(attachment.ContainerId) is { } id
            ? new AttachmentKey(network, id, attachment.IfName)
            : ImportKeys.PodKey(network, podUid!, attachment.IfName); // One of the two is set, checked above.
        return new ImportCandidate(index, key, attachment.Node ?? ImportKeys.UnknownNode, attachment, addresses);
    }

    private static List<(IpAddress, string?)> Addresses(ImportAttachment attachment, string where, List<string> errors)
    {
        var addresses = new List<(IpAddress, string?)>();
        if (attachment.Addresses.Count == 0)
        {
            errors.Add($"{where}: holds no addresses");
        }

        foreach (ImportAddress entry in attachment.Addresses)
        {
            if (!IpAddress.TryParse(entry.Address, out IpAddress address))
            {
                errors.Add($"{where}: '{PrintableText.Escape(entry.Address)}' is not an IPv4 or IPv6 address");
            }
            else if (addresses.Any(a => a.Item1 == address))
            {
                errors.Add($"{where}: lists {address} twice");
            }
            else
            {
                addresses.Add((address, NullIfEmpty(entry.Pool)));
            }
        }

        return addresses;
    }

    /// <summary>A name that becomes part of a store key: not empty, printable, and without the '/' keys are split at.</summary>
    private static void KeyText(string text, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"{what} is empty");
        }
        else if (PrintableText.Problem(what, text) is { } problem)
        {
            errors.Add(problem);
        }
        else if (text.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"{what} '{text}' contains '/'");
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
