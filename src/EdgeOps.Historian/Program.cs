using EdgeOps.Historian;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddHistorian();
await builder.Build().RunAsync();
