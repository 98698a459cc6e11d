using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Cni;

namespace Underpool.Plugin;

/// <summary>The CNI verbs: each returns null on success (having printed what the spec asks) or the error.</summary>
internal static class Verbs
{
    /// <summary>CHECK found the runtime's prevResult and the agent's record disagreeing.</summary>
    public const int AllocationMismatch = 103;

    public static CniError? Add(PluginCall call)
    {
        var request = new CniAddRequest
        {
            Attachment = call.Attachment,
            Pools = new PoolChoice { Ipv4 = call.Config.Ipam.Pools.Ipv4, Ipv6 = call.Config.Ipam.Pools.Ipv6 },
            Args = call.Env.Args.Pairs,
            Uplink = call.Config.Master,

            // The capability is the newer form; a runtime sends one or the other (podman: IP= for one --ip).
            RequestedIps = call.Config.RuntimeConfig.Ips.Count > 0 ? call.Config.RuntimeConfig.Ips : call.Env.Args.RequestedIps,
            Static = call.Config.Ipam.Static,
        };
        ApiResult<CniAddResponse> answer = call.Agent.Add(request);
        if (!answer.IsSuccess)
        {
            return PluginCall.ToCniError(answer.Problem);
        }

        if (AddAnswer.Problem(answer.Value, request.Pools) is { } invalid)
        {
            return PluginCall.ToCniError(AgentClient.InvalidAnswer(invalid));
        }

        var result = new IpamResult
        {
            Ips = answer.Value.Ips.Select(ip => new IpConfig(ip.Address, ip.Gateway)).ToList(),
            Routes = answer.Value.Routes.Select(r => new RouteConfig(r.Dst, r.Gw)).ToList(),
        };
        result.WriteTo(call.Stdout, call.Config.CniVersion);
        return null;
    }

    public static CniError? Del(PluginCall call)
    {
        // DEL of something unknown succeeds at the agent; only an unreachable or failing agent is an error,
        // so the runtime retries instead of leaking the address.
        ApiResult<CniDelResponse> answer = call.Agent.Del(new CniDelRequest { Attachment = call.Attachment });
        return answer.IsSuccess ? null : PluginCall.ToCniError(answer.Problem);
    }

    public static CniError? Check(PluginCall call)
    {
        if (!CniVersion.SupportsCheck(call.Config.CniVersion))
        {
            return new CniError(CniErrorCode.IncompatibleVersion, $"CHECK needs cniVersion 0.4.0 or later; the config says {call.Config.CniVersion}");
        }

        if (call.Config.PrevResult is not { } prev)
        {
            return new CniError(CniErrorCode.InvalidNetworkConfig, "CHECK needs the prevResult of the ADD in the network config");
        }

        CniParseResult<IpamResult> expected = IpamResult.Parse(prev);
        if (!expected.IsSuccess)
        {
            return expected.Error;
        }

        // The main plugin's result names the container's interface and its MAC: the agent records it, so a conflict
        // probe this pod answers is recognised as ours.
        ApiResult<CniCheckResponse> answer = call.Agent.Check(new CniCheckRequest
        {
            Attachment = call.Attachment,
            Mac = PrevResultInterface.MacOf(prev, call.Env.IfName),
        });
        if (!answer.IsSuccess)
        {
            return PluginCall.ToCniError(answer.Problem);
        }

        AttachmentIdentity who = call.Attachment;
        if (answer.Value.Ips.Count == 0)
        {
            return new CniError(
                CniErrorCode.UnknownContainer,
                $"no addresses are recorded for container {who.ContainerId} interface {who.IfName} on network {who.Network}");
        }

        // Both ways: an address the runtime believes in but we do not hold, or one we hold that the runtime never
        // configured (it leaks unless someone notices), is a mismatch.
        var held = answer.Value.Ips.Select(ip => ip.Address).ToHashSet(StringComparer.Ordinal);
        var configured = expected.Value!.Ips.Select(ip => ip.Address).ToHashSet(StringComparer.Ordinal);
        if (!held.SetEquals(configured))
        {
            return new CniError(
                AllocationMismatch,
                $"prevResult has {string.Join(", ", configured.Order(StringComparer.Ordinal))} but the agent records "
                + $"{string.Join(", ", held.Order(StringComparer.Ordinal))} for container {who.ContainerId} interface {who.IfName}");
        }

        return null;
    }

    public static CniError? Status(PluginCall call)
    {
        ApiResult<AgentStatus> answer = call.Agent.Status();
        if (!answer.IsSuccess)
        {
            return new CniError(CniErrorCode.NotAvailable, answer.Problem.Detail, answer.Problem.Type);
        }

        return answer.Value.Ready
            ? null
            : new CniError(CniErrorCode.NotAvailable, $"the underpool agent on {answer.Value.Node} is not ready: {answer.Value.Reason}");
    }

    public static CniError? Gc(PluginCall call)
    {
        if (call.Config.ValidAttachments is not { } valid)
        {
            // Without the list every allocation would look stale: refuse rather than release everything.
            return new CniError(
                CniErrorCode.InvalidNetworkConfig,
                "GC needs cni.dev/valid-attachments (or cni.dev/attachments) in the config; nothing was released");
        }

        var request = new CniGcRequest
        {
            Network = call.Config.Name,
            ValidAttachments = valid.Select(a => new AttachmentRef { ContainerId = a.ContainerId, IfName = a.IfName }).ToList(),
        };
        ApiResult<CniGcResponse> answer = call.Agent.Gc(request);
        return answer.IsSuccess ? null : PluginCall.ToCniError(answer.Problem);
    }
}
