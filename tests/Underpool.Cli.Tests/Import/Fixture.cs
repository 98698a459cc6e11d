using Underpool.Cli.Import;

namespace Underpool.Cli.Tests.Import;

/// <summary>The import fixtures (tests/fixtures/import, copied next to the tests) and readers run over text.</summary>
internal static class Fixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "import", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    /// <summary>Runs <paramref name="read"/> over <paramref name="yaml"/> as the command does; the errors it found, if any.</summary>
    public static (ImportInput Input, InputErrors Errors) Read(
        string yaml,
        Func<IReadOnlyList<KubeObject>, CustomResourceOptions, InputErrors, ImportInput> read,
        string? ifName = null,
        bool createPools = false,
        params string[] only)
    {
        var errors = new InputErrors();
        List<KubeObject> objects = KubeDocument.Load(yaml, "pools.yaml", errors);
        ImportInput input = read(objects, new CustomResourceOptions(ifName, createPools, only), errors);
        return (input, errors);
    }
}
