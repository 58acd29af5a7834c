using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.Secrets.HardcodedSecretAnalyzer>;

namespace McpSecurity.Analyzers.Tests.Secrets;

/// <summary>MCPSEC103: literal key material and credentials, whatever the name.</summary>
public partial class HardcodedSecretAnalyzerTests
{
    [Fact]
    public Task Flags_symmetric_security_key_from_a_literal() => VerifyWith(SecretTestReferences.IdentityModel, """
        using System.Text;
        using Microsoft.IdentityModel.Tokens;
        public class Jwt
        {
            public SecurityKey Direct() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes({|MCPSEC103:"0123456789abcdef0123456789abcdef"|}));

            public SigningCredentials ThroughLocals()
            {
                var text = "0123456789abcdef0123456789abcdef";
                var bytes = Encoding.ASCII.GetBytes(text);
                var key = new SymmetricSecurityKey({|MCPSEC103:bytes|});
                return new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
            }

            public SecurityKey Utf8() => new SymmetricSecurityKey({|MCPSEC103:"0123456789abcdef0123456789abcdef"u8|}.ToArray());
        }
        """);

    [Fact]
    public Task Flags_crypto_keys_ivs_and_passwords_from_literals() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        using System.Security.Cryptography.X509Certificates;
        using System.Text;
        public class Crypto
        {
            private static readonly byte[] MacKey = Encoding.UTF8.GetBytes("mac-key-0123456789");

            public byte[] Sign(byte[] data)
            {
                using var hmac = new HMACSHA256({|MCPSEC103:MacKey|});
                using var other = new HMACSHA512(Encoding.UTF8.GetBytes({|MCPSEC103:"another-key"|}));
                var oneShot = HMACSHA256.HashData(Encoding.UTF8.GetBytes({|MCPSEC103:"one-shot-key"|}), data);
                return hmac.ComputeHash(data);
            }

            public ICryptoTransform Encryptor()
            {
                var aes = Aes.Create();
                aes.Key = {|MCPSEC103:new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }|};
                aes.IV = {|MCPSEC103:"0123456789abcdef"u8|}.ToArray();
                var k = System.Convert.FromBase64String("AAECAwQFBgcICQoLDA0ODw==");
                var iv = new byte[16];
                return aes.CreateEncryptor({|MCPSEC103:k|}, iv);
            }

            public X509Certificate2 Certificate() => new X509Certificate2("server.pfx", {|MCPSEC103:"pfx-pass"|});
        }
        """);

    [Fact]
    public Task Flags_network_credentials_secure_strings_and_authorization_headers() => Verify.VerifyAsync("""
        using System.Net;
        using System.Net.Http.Headers;
        using System.Security;
        public class Credentials
        {
            public NetworkCredential Smtp() => new NetworkCredential("mailer", {|MCPSEC103:"mail-pass"|});
            public NetworkCredential Named() => new NetworkCredential { UserName = "mailer", Password = {|MCPSEC101:"mail-pass"|} };

            public SecureString Secure()
            {
                var secure = new SecureString();
                foreach (var c in "s3cret")
                {
                    secure.AppendChar({|MCPSEC103:c|});
                }
                secure.AppendChar({|MCPSEC103:'!'|});
                return secure;
            }

            public AuthenticationHeaderValue Header() => new AuthenticationHeaderValue("Bearer", {|MCPSEC103:"abc.def.ghi"|});
        }
        """);

    [Fact]
    public Task Flags_connection_strings_and_uris_that_carry_a_password() => Verify.VerifyAsync("""
        public class Connections
        {
            public string Sql = {|MCPSEC103:"Server=db;Database=app;User Id=sa;Password=Sup3rS3cret!"|};
            public string Postgres = {|MCPSEC103:@"Host=db;Username=app;Pwd=abc123"|};
            public string Url = {|MCPSEC103:"postgres://app:s3cret@db:5432/app"|};
            public string Web = {|MCPSEC103:"https://admin:admin123@intranet.example.com/"|};

            public string Built(string host)
            {
                var p = "abc123";
                var concatenated = "Server=" + host + ";Password=" + {|MCPSEC103:p|};
                return $"Server={host};Password={{|MCPSEC103:p|}};" + concatenated;
            }
        }
        """);

    [Fact]
    public Task Flags_well_known_token_formats_anywhere() => Verify.VerifyAsync("""
        public class Tokens
        {
            public void Call(string value) { }
            public void M()
            {
                Call({|MCPSEC103:"ghp_1234567890abcdefghijklmnopqrstuvwxyz"|});
                Call({|MCPSEC103:"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"|});
                Call({|MCPSEC103:"AKIAIOSFODNN7EXAMPLE"|});
                Call({|MCPSEC103:"xoxb-123456789012-abcdefABCDEF"|});
                Call({|MCPSEC103:"sk-proj-Abcdefghij0123456789KLMNOPqrst"|});
                Call({|MCPSEC103:"sk_live_51Habcdefghijklmnopqrstuv"|});
                Call({|MCPSEC103:"AIzaSyA1234567890abcdefghijklmnopqrstuv"|});
                Call({|MCPSEC103:"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"|});
                Call({|MCPSEC103:"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF123"|});
                var header = {|MCPSEC103:"Bearer ghp_1234567890abcdefghijklmnopqrstuvwxyz"|};
            }
        }
        """);

    [Fact]
    public Task A_secret_named_target_reports_the_token_once_as_MCPSEC101() => Verify.VerifyAsync("""
        public class GitHub
        {
            public string Token = {|MCPSEC101:"ghp_1234567890abcdefghijklmnopqrstuvwxyz"|};
            public string SigningKey = {|MCPSEC101:"0123456789abcdef"|};
            public System.Security.Cryptography.HMACSHA256 Mac()
                => new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(SigningKey));
            public System.Security.Cryptography.HMACSHA256 Local()
            {
                var signingKey = {|MCPSEC101:"0123456789abcdef"|};
                return new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(signingKey));
            }
        }
        """);

    [Fact]
    public Task Flags_a_connection_string_fallback_that_is_not_secret_named_by_its_password() => VerifyWith(SecretTestReferences.Configuration, """
        using Microsoft.Extensions.Configuration;
        public class Database
        {
            public string ConnectionString(IConfiguration config)
                => config.GetConnectionString("Default") ?? {|MCPSEC103:"Server=db;Database=app;User Id=sa;Password=Sup3rS3cret!"|};
        }
        """);

    // ---- MCPSEC103: false-positive traps ----------------------------------------------------------

    [Fact]
    public Task Ignores_connection_string_templates_and_uris_without_a_password() => Verify.VerifyAsync("""
        public class Templates
        {
            public string A = "Server=db;User Id=app;Password=@password";
            public string B = "Server=db;User Id=app;Password={0}";
            public string C = "Server=db;User Id=app;Password=$PASSWORD";
            public string D = "Server=db;User Id=app;Password=%DB_PASSWORD%";
            public string E = "Server=db;User Id=app;Password=<password>";
            public string F = "Server=db;User Id=app;Password=****";
            public string G = "Server=db;User Id=app;Password=;";
            public string H = "Server=db;Database=app;Integrated Security=true";
            public string I = "Server=db;User Id=app;Password={password}";
            public string J = "https://user@example.com/";
            public string K = "https://example.com:8443/path";
            public string L = "postgres://user:@db/app";
            public string M = "https://user:{password}@example.com";
            public string N = "Password reset for user=admin; see the docs";
            public string Build(string host, string password) => $"Server={host};Password={password}";
        }
        """);

    [Fact]
    public Task Ignores_token_placeholders_and_look_alikes() => Verify.VerifyAsync("""
        public class LookAlikes
        {
            public string A = "ghp_your_token_here";
            public string B = "sk-your-key-goes-here-please-change";
            public string C = "AKIAEXAMPLE";
            public string D = "eyJhbGciOiJIUzI1NiJ9";
            public string E = "task-runner-with-a-very-long-kebab-name";
            public string F = "-----BEGIN PUBLIC KEY-----";
            public string G = "xoxb-";
        }
        """);

    [Fact]
    public Task Ignores_key_material_that_is_not_literal() => VerifyWith(SecretTestReferences.IdentityModel, """
        using System;
        using System.Net;
        using System.Security.Cryptography;
        using System.Text;
        using Microsoft.IdentityModel.Tokens;
        public class Runtime
        {
            public SecurityKey FromEnvironment()
                => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("SECRET_KEY")!));

            public HMACSHA256 Mixed(bool rotate, Func<string> load)
            {
                var k = "initial";
                if (rotate) k = load();
                return new HMACSHA256(Encoding.UTF8.GetBytes(k));
            }

            public HMACSHA256 Random() => new HMACSHA256(RandomNumberGenerator.GetBytes(32));

            public HMACSHA256 Empty() => new HMACSHA256();

            public NetworkCredential Passed(string user, string password) => new NetworkCredential(user, password);

            public void Read(ref string value) { }

            public HMACSHA256 PassedByRef()
            {
                var k = "initial";
                Read(ref k);
                return new HMACSHA256(Encoding.UTF8.GetBytes(k));
            }
        }
        """);
}
