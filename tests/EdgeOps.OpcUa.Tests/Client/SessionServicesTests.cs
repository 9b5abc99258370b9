using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Client;

public sealed class SessionServicesTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    private OpcUaTestServer Server => fixture.Server;

    [Fact]
    public async Task Connect_Anonymous_ReadsServerStateRunning()
    {
        await using var client = await ConnectAsync(Server);
        var state = await client.ReadValueAsync(WellKnownNodes.ServerState);
        Assert.Equal(0, (int)state.Value.Value!); // ServerState.Running
        Assert.Contains(Server.NamespaceUri, client.NamespaceArray);
    }

    [Fact]
    public async Task Connect_WithUserNameAndRightPassword_Activates()
    {
        await using var client = await ConnectAsync(Server, "alice", "secret");
        var value = await client.ReadValueAsync(NodeId.FromString("Plc.Running", (ushort)client.NamespaceIndex(Server.NamespaceUri)));
        Assert.Equal(true, value.Value.Value);
    }

    [Fact]
    public async Task Connect_WithWrongPassword_FailsWithBadUserAccessDenied()
    {
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => ConnectAsync(Server, "alice", "wrong"));
        Assert.True(ex.Status.Is(StatusCode.BadUserAccessDenied), ex.Message);
        Assert.Contains("BadUserAccessDenied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("alice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browse_ServerObject_ListsServerStatusAndNamespaceArray()
    {
        await using var client = await ConnectAsync(Server);
        var children = (await client.BrowseAsync([WellKnownNodes.Server]))[0];
        var names = children.Select(c => c.BrowseName.Name).ToList();
        Assert.Contains("ServerStatus", names);
        Assert.Contains("NamespaceArray", names);
        Assert.Contains(children, c => c.NodeId.NodeId == WellKnownNodes.NamespaceArray && c.NodeClass == NodeClass.Variable);
    }

    [Fact]
    public async Task Browse_WithSmallReferenceLimit_FollowsContinuationPoints()
    {
        await using var client = await ConnectAsync(Server);
        var all = (await client.BrowseAsync([WellKnownNodes.Server]))[0];
        var paged = (await client.BrowseAsync([WellKnownNodes.Server], maxReferencesPerNode: 2))[0];
        Assert.True(all.Count > 4);
        Assert.Equal(all.Select(r => r.NodeId.ToString()).Order(), paged.Select(r => r.NodeId.ToString()).Order());
    }

    [Fact]
    public async Task Write_Setpoint_ThenReadReturnsIt()
    {
        await using var client = await ConnectAsync(Server);
        var node = NodeId.FromString("Plc.Setpoint", (ushort)client.NamespaceIndex(Server.NamespaceUri));
        await client.WriteValueAsync(node, Variant.From(42.25));
        Assert.Equal(42.25, (double)(await client.ReadValueAsync(node)).Value.Value!);
    }

    [Fact]
    public async Task Write_ReadOnlyNode_ThrowsNamingTheNode()
    {
        await using var client = await ConnectAsync(Server);
        var node = NodeId.FromString("Plc.Running", (ushort)client.NamespaceIndex(Server.NamespaceUri));
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.WriteValueAsync(node, Variant.From(false)));
        Assert.Contains("Plc.Running", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnknownNode_ReturnsBadNodeIdUnknown()
    {
        await using var client = await ConnectAsync(Server);
        var result = (await client.ReadAsync([NodeId.FromString("Does.Not.Exist", 1)]))[0];
        Assert.True(result.Status.Is(StatusCode.BadNodeIdUnknown), result.Status.ToString());
    }

    [Fact]
    public async Task Call_AddMethod_ReturnsSum()
    {
        await using var client = await ConnectAsync(Server);
        var ns = (ushort)client.NamespaceIndex(Server.NamespaceUri);
        var plc = (await client.TranslateAsync([BrowsePathSpec.Parse("Objects/Plc", Server.NamespaceUri)]))[0].NodeId!;
        var outputs = await client.CallMethodAsync(plc, NodeId.FromString("Plc.Add", ns), [Variant.From(2), Variant.From(40)]);
        Assert.Equal(42, (int)outputs[0].Value!);
    }

    [Fact]
    public async Task Translate_BrowsePath_ResolvesByNamespaceUri()
    {
        await using var client = await ConnectAsync(Server);
        var results = await client.TranslateAsync([
            BrowsePathSpec.Parse("Objects/Plc/PartCount", Server.NamespaceUri),
            BrowsePathSpec.Parse("Objects/Plc/Nope", Server.NamespaceUri),
            BrowsePathSpec.Parse("Objects/0:Server/0:NamespaceArray", null),
        ]);
        Assert.Equal(NodeId.FromString("Plc.PartCount", (ushort)client.NamespaceIndex(Server.NamespaceUri)), results[0].NodeId);
        Assert.True(results[1].Status.IsBad);
        Assert.Equal(WellKnownNodes.NamespaceArray, results[2].NodeId);
    }

    [Fact]
    public async Task Dispose_ClosesTheSession()
    {
        await using var observer = await ConnectAsync(Server);
        var sessions = NodeId.FromString("Server.SessionCount", (ushort)observer.NamespaceIndex(Server.NamespaceUri));
        var before = (uint)(await observer.ReadValueAsync(sessions)).Value.Value!;
        var client = await ConnectAsync(Server);
        Assert.Equal(before + 1, (uint)(await observer.ReadValueAsync(sessions)).Value.Value!);
        await client.DisposeAsync();
        Assert.Equal(before, (uint)(await observer.ReadValueAsync(sessions)).Value.Value!);
    }
}
