using System.Net;

namespace Underpool.Agent.Hosting;

/// <summary>The agent's unix socket as a Kestrel endpoint of its own type, so that <see cref="AgentSocketTransport"/>
/// binds it (and can bind it again) instead of Kestrel's socket transport.</summary>
internal sealed class AgentSocketEndPoint(string path) : EndPoint
{
    public string Path { get; } = path;

    public override string ToString() => "unix:" + Path;
}
