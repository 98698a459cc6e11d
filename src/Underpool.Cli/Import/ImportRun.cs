using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Cli.Output;

namespace Underpool.Cli.Import;

/// <summary>Sends an import to the agent, in requests of at most <see cref="ImportRequest.MaxAttachments"/>
/// attachments, and prints what happened.</summary>
internal static class ImportRun
{
    /// <summary>One request files up to 10,000 attachments: far longer than the CLI's usual few seconds.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static int Send(CommandContext context, string source, string network, bool dryRun, ImportInput input, InputErrors errors, string command)
    {
        if (errors.Count > 0)
        {
            context.Error.WriteLine($"underpoolctl: {OneLine.Of(errors.Describe())}");
            return ExitCodes.Usage;
        }

        context.Warn(input.Warnings);
        var client = new AgentClient(context.Socket, Timeout);
        var results = new List<ImportResult>();
        IReadOnlyList<ImportPoolResult>? pools = null;

        // Every request carries the pools: a dry run plans against them, and once created they are simply kept.
        ImportAttachment[][] chunks = input.Attachments.Count == 0 ? [[]] : input.Attachments.Chunk(ImportRequest.MaxAttachments).ToArray();
        for (int i = 0; i < chunks.Length; i++)
        {
            ApiResult<ImportResponse> answer = client.Import(new ImportRequest
            {
                Source = source,
                Network = network,
                DryRun = dryRun,
                CreatePools = input.Pools,
                Attachments = chunks[i],
            });
            if (!answer.IsSuccess)
            {
                return ProblemReport.Write(answer.Problem, context.Error, p => i == 0
                    ? p.Detail
                    : $"{p.Detail} (part {i + 1} of {chunks.Length}; the {i * ImportRequest.MaxAttachments} attachments before it were handled: running the import again finishes it)");
            }

            pools ??= answer.Value.Pools;
            results.AddRange(answer.Value.Results);
        }

        var report = new ImportResponse { DryRun = dryRun, Pools = pools ?? [], Results = results };
        context.Print(report, ApiJsonContext.Default.ImportResponse, ImportText.WriteReport);
        return results.Any(r => r.Outcome == ImportOutcomes.Skipped) ? ExitCodes.Refused : ExitCodes.Success;
    }
}
