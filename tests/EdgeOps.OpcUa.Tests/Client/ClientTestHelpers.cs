using EdgeOps.OpcUa.Client;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Client;

internal static class ClientTestHelpers
{
    public static async Task<OpcUaClient> ConnectAsync(OpcUaTestServer server, string? user = null, string? password = null,
        Func<OpcUaClientOptions, OpcUaClientOptions>? configure = null)
    {
        var options = new OpcUaClientOptions
        {
            EndpointUrl = server.EndpointUrl,
            UserName = user,
            Password = password,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(250),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        };
        var client = new OpcUaClient(configure is null ? options : configure(options));
        try
        {
            await client.ConnectAsync();
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }
}
