namespace Underpool.Probe.Linux;

/// <summary>Probing could not start: the namespace or interface is missing, or a socket call failed. The message
/// names what and where, for the agent's log.</summary>
public sealed class ProbeException : Exception
{
    public ProbeException()
    {
    }

    public ProbeException(string message)
        : base(message)
    {
    }

    public ProbeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
