using Underpool.Agent.Failures;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Add;

/// <summary>Identifies an ADD from the CNI request alone: the attachment, and CNI_ARGS for the owner, a static
/// endpoint and the application (see <see cref="AddIntent.From"/>).</summary>
internal sealed class CniArgsIdentifier : IAddIdentifier
{
    public ValueTask<Outcome<AddIntent>> IdentifyAsync(CniAddRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(AddIntent.From(request));
    }
}
