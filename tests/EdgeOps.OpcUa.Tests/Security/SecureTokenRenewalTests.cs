using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Tests.Subscriptions;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

public sealed class SecureTokenRenewalTests
{
    [Fact]
    public async Task SignAndEncrypt_WithTokenLifetime2500ms_RenewsKeysAndDropsNothingForTheSoakDuration()
    {
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions
        {
            SecurityPolicies = ["Basic256Sha256"], SecurityModes = ["SignAndEncrypt"], TokenLifetime = TimeSpan.FromMilliseconds(2500),
        });
        await server.StartAsync();
        using var pki = new ClientPki();
        await pki.TrustServerAsync(server);
        await using var client = await pki.ConnectAsync(pki.Options(server, MessageSecurity.SignAndEncrypt) with { SecureChannelLifetime = TimeSpan.FromMilliseconds(2500) });
        await TokenRenewalTests.SoakAsync(client, server);
    }
}
