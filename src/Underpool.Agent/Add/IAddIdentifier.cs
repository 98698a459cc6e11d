using Underpool.Agent.Failures;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Add;

/// <summary>The first stage of an ADD: who asks and for what, as an <see cref="AddIntent"/>, or why the request cannot
/// be served. <see cref="Kubernetes.KubernetesIntentSource"/> is the one implementation: the CNI request and CNI_ARGS
/// as they are, the annotations the plugin forwards (args.cni, the runtime's pod annotations), and in Kubernetes mode
/// the pod itself; an interface so that the stages after it are tested without any of that.</summary>
internal interface IAddIdentifier
{
    ValueTask<Outcome<AddIntent>> IdentifyAsync(CniAddRequest request, CancellationToken cancellationToken);

    /// <summary>The answer as the runtime gets it: a mode may add to it (the pools it chose instead of the config's) or
    /// report a failure where its users look (a Kubernetes Event).</summary>
    Outcome<CniAddResponse> Answered(CniAddRequest asked, AddIntent want, Outcome<CniAddResponse> answer) => answer;
}
