namespace Underpool.Cli.Output;

/// <summary>What -o asked for.</summary>
internal enum OutputFormat
{
    Table = 0,
    Json,
}
