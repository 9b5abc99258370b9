using System.Net;
using System.Text;
using EdgeOps.Publishing.Mqtt.Broker;

namespace EdgeOps.Publishing.Tests.Broker;

public sealed class BrokerAccessPolicyTests
{
    private static readonly string Hash = BrokerPasswordHash.Create("pw-1", BrokerPasswordHash.MinIterations);

    [Fact]
    public void Anonymous_FromAnotherHost_IsRefusedEvenWhenAnonymousMayCommand()
    {
        var policy = new BrokerAccessPolicy(new EmbeddedBrokerOptions { BindAddress = "0.0.0.0", Anonymous = AnonymousAccess.Commands }, "gw");

        var remote = policy.Authenticate("hmi", null, [], IPAddress.Parse("192.168.10.20"), out var refusal, out var kind);
        var local = policy.Authenticate("bench", null, [], IPAddress.Loopback, out _, out _);

        Assert.Null(remote);
        Assert.Equal(BrokerRefusal.NotAuthorized, kind);
        Assert.Contains("loopback only", refusal, StringComparison.Ordinal);
        Assert.NotNull(local);
        Assert.True(local.MayCommand);
        Assert.Equal(BrokerAccessPolicy.AnonymousUser, local.User);
    }

    [Fact]
    public void Anonymous_Off_IsRefusedOnLoopbackToo()
    {
        var policy = new BrokerAccessPolicy(new EmbeddedBrokerOptions { Anonymous = AnonymousAccess.Off }, "gw");
        Assert.Null(policy.Authenticate("x", "", [], IPAddress.Loopback, out var refusal, out _));
        Assert.Contains("Anonymous = Off", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void User_FromAnotherHost_WithTheRightPassword_IsAccepted_AndTheHashIsCheckedEveryTime()
    {
        var policy = new BrokerAccessPolicy(Options(new() { PasswordHash = Hash, Roles = ["commands"] }), "gw");
        var remote = IPAddress.Parse("10.0.0.7");

        Assert.NotNull(policy.Authenticate("hmi", "hmi", "pw-1"u8, remote, out _, out _));
        // Second time from the verified cache, then a wrong one must still fail.
        Assert.NotNull(policy.Authenticate("hmi", "hmi", "pw-1"u8, remote, out _, out _));
        Assert.Null(policy.Authenticate("hmi", "hmi", "pw-2"u8, remote, out _, out var kind));
        Assert.Equal(BrokerRefusal.BadCredentials, kind);
    }

    [Fact]
    public void User_WithAPlainPasswordFromACredential_IsAccepted()
    {
        var policy = new BrokerAccessPolicy(Options(new() { Password = "from-systemd" }), "gw");
        Assert.NotNull(policy.Authenticate("a", "hmi", Encoding.UTF8.GetBytes("from-systemd"), IPAddress.Loopback, out _, out _));
        Assert.Null(policy.Authenticate("a", "hmi", "from-systemdX"u8, IPAddress.Loopback, out _, out _));
    }

    [Theory]
    [InlineData("edgeops/v1/plant1/packaging/line1/filler/state", false)]
    [InlineData("edgeops/v1/plant1/_gateways/gw/status", false)]
    [InlineData("spBv1.0/plant1/NBIRTH/gw", false)]
    [InlineData("edgeops/v1/plant1/packaging/line1/filler/cmd/assign-reason", true)]
    [InlineData("edgeops/v1/plant1/packaging/line1/filler/cmd/assign-reason/reply", false)]
    [InlineData("hmi/panel/heartbeat", true)]
    public void CommandsRoleUser_PublishesCommandsAndOwnTopics_NeverTheGatewaysTree(string topic, bool allowed)
    {
        var who = new BrokerIdentity("mes", IsGateway: false, MayCommand: true, MayPublishOther: true);
        Assert.Equal(allowed, BrokerAccessPolicy.MayPublish(who, topic, out _));
        Assert.True(BrokerAccessPolicy.MayPublish(BrokerIdentity.Gateway, topic, out _));
    }

    [Fact]
    public void Validate_NamesEveryBadKey()
    {
        var errors = BrokerAccessPolicy.Validate(new EmbeddedBrokerOptions
        {
            BindAddress = "plant-net",
            Users = new(StringComparer.Ordinal)
            {
                ["$gateway"] = new() { Password = "x" },
                ["mes"] = new() { PasswordHash = "sha1$1$abc$def", Roles = ["command"] },
                ["hmi"] = new(),
            },
        });

        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:EmbeddedBroker:BindAddress = 'plant-net'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:EmbeddedBroker:Users:$gateway: the user name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:EmbeddedBroker:Users:mes:PasswordHash is not 'pbkdf2-sha256$", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "EdgeOps:Mqtt:EmbeddedBroker:Users:mes:Roles: unknown role 'command'; known: commands.");
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:Mqtt:EmbeddedBroker:Users:hmi: neither PasswordHash nor Password", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void PasswordHash_RoundTrips_AndRejectsTooFewIterations()
    {
        Assert.True(BrokerPasswordHash.Verify(Hash, "pw-1"));
        Assert.False(BrokerPasswordHash.Verify(Hash, "pw-1 "));
        Assert.StartsWith("pbkdf2-sha256$10000$", Hash, StringComparison.Ordinal);
        var weak = Hash.Replace("$10000$", "$1000$", StringComparison.Ordinal);
        Assert.Contains("at least 10000", BrokerPasswordHash.Validate(weak), StringComparison.Ordinal);
        Assert.False(BrokerPasswordHash.Verify(weak, "pw-1"));
    }

    private static EmbeddedBrokerOptions Options(EmbeddedBrokerUserOptions user) => new()
    {
        BindAddress = "0.0.0.0",
        Users = new(StringComparer.Ordinal) { ["hmi"] = user },
    };
}
