namespace Underpool.Api.Transport;

/// <summary>The peer reset the connection (ECONNRESET) while we read: after an answer, the agent closed without reading
/// all of the body.</summary>
internal sealed class ConnectionResetException(string message) : IOException(message);
