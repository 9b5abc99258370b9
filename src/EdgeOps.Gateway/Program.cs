using EdgeOps.Gateway.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
return await CliApplication.RunAsync(args, Console.Out, Console.Error, cts.Token);
