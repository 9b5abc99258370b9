using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Mosquitto;

/// <summary>
/// A throwaway PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1/localhost and a client
/// certificate, all signed by the CA; plus a second CA that signed nothing here (to test rejection).
/// </summary>
public sealed record TestCertificates(string Directory, string CaCertificate, string ServerCertificate, string ServerKey,
    string ClientCertificate, string ClientKey, string OtherCaCertificate)
{
    /// <summary>Generates everything under a new temp directory.</summary>
    public static async Task<TestCertificates> CreateAsync()
    {
        var openssl = ManagedProcess.Require("openssl", "Install it with: apt-get install openssl (./test.sh does).");
        var dir = System.IO.Directory.CreateTempSubdirectory("edgeops-pki-").FullName;
        string P(string name) => Path.Combine(dir, name);
        await File.WriteAllTextAsync(P("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        await File.WriteAllTextAsync(P("client.ext"), "extendedKeyUsage=clientAuth\n");

        async Task Run(params string[] args)
        {
            using var process = ManagedProcess.Start(openssl, args, dir);
            while (!process.HasExited)
            {
                await Task.Delay(20);
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed:\n{process.Output}");
            }
        }

        await Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=EdgeOps Test CA", "-keyout", P("ca.key"), "-out", P("ca.crt"));
        await Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Other CA", "-keyout", P("other-ca.key"), "-out", P("other-ca.crt"));
        await Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", P("server.key"), "-out", P("server.csr"));
        await Run("x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"), "-CAcreateserial", "-days", "2",
            "-extfile", P("server.ext"), "-out", P("server.crt"));
        await Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=edgeops-gateway", "-keyout", P("client.key"), "-out", P("client.csr"));
        await Run("x509", "-req", "-in", P("client.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"), "-CAcreateserial", "-days", "2",
            "-extfile", P("client.ext"), "-out", P("client.crt"));
        return new TestCertificates(dir, P("ca.crt"), P("server.crt"), P("server.key"), P("client.crt"), P("client.key"), P("other-ca.crt"));
    }
}
