namespace Underpool.Api.Transport;

/// <summary>What the agent answered: the HTTP status and the body bytes.</summary>
internal readonly record struct HttpAnswer(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
