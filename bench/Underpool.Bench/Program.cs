using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Underpool.Bench -- --filter '*' --job short` runs every micro benchmark.
// Median and min-max beside the mean: docs/benchmarks.md reports every figure that way. The build timeout is raised
// from BenchmarkDotNet's 2 minutes: on a shared 2-core machine building each job's generated project took longer,
// and every benchmark of that job came out "NA".
BenchmarkSwitcher.FromAssembly(typeof(Underpool.Bench.AllocatorBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
        .WithBuildTimeout(TimeSpan.FromMinutes(10)));
