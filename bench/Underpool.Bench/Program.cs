using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Underpool.Bench -- --filter '*' --job short` runs every micro benchmark.
// Median and min-max beside the mean: docs/benchmarks.md reports every figure that way.
BenchmarkSwitcher.FromAssembly(typeof(Underpool.Bench.AllocatorBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max));
