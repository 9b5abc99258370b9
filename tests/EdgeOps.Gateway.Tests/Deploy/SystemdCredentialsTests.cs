using Microsoft.Extensions.Configuration;

namespace EdgeOps.Gateway.Tests.Deploy;

public sealed class SystemdCredentialsTests
{
    [Fact]
    public void Credentials_LoadedFromDirectory_BecomeConfigurationKeysWithoutPrefixAndTrailingNewline()
    {
        var dir = Directory.CreateTempSubdirectory("edgeops-creds-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "edgeops_EdgeOps__Mqtt__Password"), "s3cret\n");
            File.WriteAllText(Path.Combine(dir, "EdgeOps__Mqtt__UserName"), "line-1");

            var configuration = new ConfigurationBuilder().AddSystemdCredentials(dir).Build();

            Assert.Equal("s3cret", configuration["EdgeOps:Mqtt:Password"]);
            Assert.Equal("line-1", configuration["EdgeOps:Mqtt:UserName"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Credentials_WithoutDirectory_AddNothing()
    {
        var configuration = new ConfigurationBuilder()
            .AddSystemdCredentials(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N")))
            .Build();

        Assert.Empty(configuration.AsEnumerable());
    }
}
