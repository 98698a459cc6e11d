namespace Underpool.Agent.Hosting;

/// <summary>The agent cannot start for a reason the operator can fix; the message says how.</summary>
public sealed class AgentStartException : Exception
{
    public AgentStartException(string message)
        : base(message)
    {
    }

    public AgentStartException()
    {
    }

    public AgentStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
