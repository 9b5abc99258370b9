using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Hosting;

using var cts = new CancellationTokenSource();

if (CommandDispatcher.Find(args) is { } verb)
{
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
    return await verb.Command.RunAsync(verb.Arguments, Console.Out, Console.Error, cts.Token);
}

return await GatewayHost.RunAsync(args is ["run", .. var rest] ? rest : args, cts.Token);
