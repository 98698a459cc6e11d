namespace Underpool.Agent;

/// <summary>How the agent writes its log (<c>--log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>Structured: one JSON object per line.</summary>
    Json,

    /// <summary>One readable line per event.</summary>
    Text,
}
