using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>A temporary client PKI with an application certificate, and secure connects against node-opcua.</summary>
internal sealed class ClientPki : IDisposable
{
    public ClientPki()
    {
        Root = Path.Combine(Path.GetTempPath(), "edgeops-client-pki-" + Guid.NewGuid().ToString("N"));
        Store = new PkiStore(Root);
        Certificate = ApplicationCertificate.LoadOrCreate(Store, TimeSpan.FromDays(30));
    }

    public string Root { get; }

    public PkiStore Store { get; }

    public ApplicationCertificate Certificate { get; }

    public OpcUaClientOptions Options(OpcUaTestServer server, MessageSecurity? mode = null, string? policy = null, string? user = null, string? password = null) => new()
    {
        EndpointUrl = server.EndpointUrl,
        UserName = user,
        Password = password,
        SecurityMode = mode,
        SecurityPolicy = policy,
        Certificate = Certificate,
        Pki = Store,

        // node-opcua makes its certificate for the machine's name and outside IP; the tests dial 127.0.0.1.
        CheckServerHostName = false,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(250),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
    };

    /// <summary>Trusts the server's certificate the way an operator would: first connect is refused, then the rejected file is trusted.</summary>
    public async Task TrustServerAsync(OpcUaTestServer server, MessageSecurity mode = MessageSecurity.SignAndEncrypt, string? policy = null)
    {
        var client = new OpcUaClient(Options(server, mode, policy));
        try
        {
            var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ConnectAsync());
            Assert.True(ex.Status.Is(Types.StatusCode.BadCertificateUntrusted), ex.Message);
        }
        finally
        {
            await client.DisposeAsync();
        }

        var rejected = Assert.Single(Store.Rejected());
        Store.Trust(rejected.RawData);
    }

    public async Task<OpcUaClient> ConnectAsync(OpcUaClientOptions options)
    {
        var client = new OpcUaClient(options);
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

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; best effort.
        }
    }
}
