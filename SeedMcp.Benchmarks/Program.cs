using SeedMcp.Benchmarks.Cli;

return await Commands.RunAsync(args);
