namespace Underpool.Lab.Tests;

/// <summary>The machine lacks something the lab needs (root, a program, a package); the message says what to install.</summary>
public sealed class LabUnavailableException : Exception
{
    public LabUnavailableException()
    {
    }

    public LabUnavailableException(string message)
        : base(message)
    {
    }

    public LabUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
