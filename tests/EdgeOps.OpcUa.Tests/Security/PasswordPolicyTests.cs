using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

public sealed class PlaintextPasswordServerFixture() : OpcUaServerFixture(new OpcUaTestServerOptions
{
    SecurityPolicies = ["None"], SecurityModes = ["None"], AllowUnsecurePassword = true,
});

/// <summary>A server offering only None with a plain user name token: the password would travel readable.</summary>
public sealed class PasswordPolicyTests(PlaintextPasswordServerFixture fixture) : IClassFixture<PlaintextPasswordServerFixture>
{
    [Fact]
    public async Task PlaintextPassword_WithoutOptIn_IsRefusedBeforeAnythingIsSent_NamingTheKey()
    {
        var client = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = fixture.Server.EndpointUrl, UserName = "alice", Password = "secret" });
        await using (client)
        {
            var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ConnectAsync());
            Assert.True(ex.Status.Is(StatusCode.BadSecurityPolicyRejected), ex.Message);
            Assert.Contains("allowPlaintextPassword", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PlaintextPassword_WithOptIn_Connects()
    {
        await using var client = new OpcUaClient(new OpcUaClientOptions
        {
            EndpointUrl = fixture.Server.EndpointUrl, UserName = "alice", Password = "secret", AllowPlaintextPassword = true,
        });
        await client.ConnectAsync();
        Assert.True((await client.ReadValueAsync(WellKnownNodes.ServerState)).Status.IsGood);
    }
}
