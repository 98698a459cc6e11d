using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Underpool.Bench -- --filter '*'` runs every micro benchmark.
BenchmarkSwitcher.FromAssembly(typeof(Underpool.Bench.AllocatorBenchmarks).Assembly).Run(args);
