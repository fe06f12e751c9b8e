using SeedMcp.AppHost;
using SeedMcp.AppHost.Infrastructure;
using SeedMcp.AppHost.Monitoring;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = await InfrastructurePlan.ResolveAsync(builder);
builder.LogInfrastructurePlan(infrastructure);

var cache = builder.AddCache(infrastructure);
var jaeger = builder.AddJaeger(infrastructure);

var server = builder.AddProject<Projects.SeedMcp_Server>(ResourceNames.Server, launchProfileName: "http")
    .WithHttpHealthCheck("/health")
    .WithConfiguredReplicas(builder.Configuration, infrastructure)
    .WithCache(cache, infrastructure)
    .WithJaeger(jaeger)
    .WithAuth();

var prometheus = builder.AddPrometheus(infrastructure, server);
server.WithMetricsScrapedBy(prometheus);
builder.AddGrafana(infrastructure, prometheus, jaeger);
builder.AddTracedClient(server);

builder.Build().Run();
