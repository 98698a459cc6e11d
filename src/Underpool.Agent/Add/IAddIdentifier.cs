using Underpool.Agent.Failures;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Add;

/// <summary>The first stage of an ADD: who asks and for what, as an <see cref="AddIntent"/>, or why the request cannot
/// be served. The one stage a runtime's mode replaces: <see cref="CniArgsIdentifier"/> reads the CNI request alone; a
/// mode that knows more about the workload (its pod, read from Kubernetes) registers its own in its place.</summary>
internal interface IAddIdentifier
{
    ValueTask<Outcome<AddIntent>> IdentifyAsync(CniAddRequest request, CancellationToken cancellationToken);
}
