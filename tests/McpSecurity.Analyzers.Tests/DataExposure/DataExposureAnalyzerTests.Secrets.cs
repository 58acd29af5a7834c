using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.DataExposure;

/// <summary>MCPSEC504: secret values logged, put in errors or returned.</summary>
public partial class DataExposureAnalyzerTests
{
    [Fact]
    public Task Flags_secret_named_fields_properties_locals_and_methods_in_logs() => Verify("""
        public sealed class JwtSettings { public string Key { get; set; } = ""; public string Issuer { get; set; } = ""; }
        public sealed class AuthSettings { public string SecretKey { get; set; } = ""; }

        public class Auth(ILogger<Auth> logger, AuthSettings settings, JwtSettings jwt)
        {
            private readonly string apiKey = Environment.GetEnvironmentVariable("API_KEY") ?? throw new InvalidOperationException("API_KEY is required");

            public void Start(string password)
            {
                logger.LogInformation("Using key {Key}", {|#0:apiKey|});
                logger.LogDebug($"Secret: {{|#1:settings.SecretKey|}}");
                logger.LogDebug("Jwt {Key} from {Issuer}", {|#2:jwt.Key|}, jwt.Issuer);
                var refreshToken = CreateToken();
                Console.WriteLine({|#3:refreshToken|});
                Debug.WriteLine({|#4:CreateToken()|});
                logger.LogInformation("login with {Password}", {|#5:password|});
            }

            private static string CreateToken() => Guid.NewGuid().ToString();
        }
        """, null,
        Secret(0, "apiKey", "the secret-named value 'apiKey'", "the log call 'LogInformation'"),
        Secret(1, "settings.SecretKey", "the secret-named value 'SecretKey'", "the log call 'LogDebug'"),
        Secret(2, "jwt.Key", "the secret-named value 'JwtSettings.Key'", "the log call 'LogDebug'"),
        Secret(3, "refreshToken", "the secret-named value 'refreshToken'", "'Console.WriteLine'"),
        Secret(4, "CreateToken()", "the secret-named value 'CreateToken'", "'Debug.WriteLine'"),
        Secret(5, "password", "the secret-named value 'password'", "the log call 'LogInformation'"));

    [Fact]
    public Task Flags_environment_reads_headers_and_connection_strings() => Verify("""
        public class Startup(ILogger<Startup> logger)
        {
            public void Log(IDictionary<string, string> headers, string host, string dbPassword)
            {
                logger.LogInformation("key {Key}", {|#0:Environment.GetEnvironmentVariable("SECRET_KEY")|});
                logger.LogInformation("auth {Auth}", {|#1:headers["Authorization"]|});
                headers.TryGetValue("X-Api-Key", out var provided);
                logger.LogInformation("provided {Key}", {|#2:provided|});
                var connection = $"Server={host};User Id=app;Password={dbPassword}";
                logger.LogInformation("Connecting to {Connection}", {|#3:connection|});
            }
        }
        """, null,
        Secret(0, "Environment.GetEnvironmentVariable(\"SECRET_KEY\")", "the environment variable 'SECRET_KEY'", "the log call 'LogInformation'"),
        Secret(1, "headers[\"Authorization\"]", "the Authorization header", "the log call 'LogInformation'"),
        Secret(2, "provided", "the value under the secret-named key 'X-Api-Key'", "the log call 'LogInformation'"),
        Secret(3, "connection", "a connection string with a password", "the log call 'LogInformation'"));

    [Fact]
    public async Task Flags_configuration_secrets_and_connection_strings()
    {
        var test = CreateTest("""
            using Microsoft.Extensions.Configuration;

            public class Startup(ILogger<Startup> logger, IConfiguration configuration)
            {
                public void Log()
                {
                    logger.LogInformation("jwt {Key}", {|#0:configuration["Jwt:Key"]|});
                    logger.LogInformation("db {Db}", {|#1:configuration.GetConnectionString("Default")|});
                    logger.LogInformation("issuer {Issuer}", configuration["Jwt:Issuer"]);
                }
            }
            """);
        test.ReferenceAssemblies = SecretTestReferences.Configuration;
        test.ExpectedDiagnostics.Add(Secret(0, "configuration[\"Jwt:Key\"]", "the configuration value 'Jwt:Key'", "the log call 'LogInformation'"));
        test.ExpectedDiagnostics.Add(Secret(1, "configuration.GetConnectionString(\"Default\")", "a connection string, which usually carries a password", "the log call 'LogInformation'"));
        await test.RunAsync();
    }

    [Fact]
    public Task Flags_secrets_in_tool_results_exception_messages_and_error_reports_before_argument_rules() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            private readonly string token = Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? "";

            [McpServerTool]
            public string Whoami(string apiKey)
            {
                logger.LogInformation("called with {Key}", {|#0:apiKey|});
                if (token.Length == 0) throw new InvalidOperationException("bad token " + {|#1:token|});
                ReportError("whoami", {|#2:token|});
                return "token: " + {|#3:token|};
            }

            private static void ReportError(string tool, string detail) { }
        }
        """, null,
        Secret(0, "apiKey", "the secret-named value 'apiKey'", "the log call 'LogInformation'"),
        Secret(1, "token", "the secret-named value 'token'", "the message of 'InvalidOperationException'"),
        Secret(2, "token", "the secret-named value 'token'", "the error report 'ReportError'"),
        Secret(3, "token", "the secret-named value 'token'", "the result of tool 'Whoami'"));

    [Fact]
    public Task Ignores_lengths_prefixes_hashes_descriptors_and_typed_tokens() => Verify("""
        public class Auth(ILogger<Auth> logger)
        {
            private const string PasswordFieldName = "txtPassword";
            private readonly string apiKey = Environment.GetEnvironmentVariable("API_KEY") ?? "";

            public void Run(string token, string tokenType, string passwordHint, string secretName, bool hasPassword,
                System.Security.SecureString password, CancellationToken cancellationToken)
            {
                logger.LogInformation("token length {Length}", token.Length);
                logger.LogInformation("key {Prefix}", apiKey.Substring(0, 4) + "****");
                logger.LogInformation("key {Prefix}", apiKey[..4]);
                logger.LogInformation("hash {Hash}", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token))));
                logger.LogInformation("{Type} {Hint} {Name} {Has} {Field}", tokenType, passwordHint, secretName, hasPassword, PasswordFieldName);
                logger.LogInformation("{Secure} {Cancel} {Name}", password, cancellationToken, nameof(apiKey));
                logger.LogInformation("Missing: " + "SECRET_KEY environment variable is required");
                if (token == "changeme") throw new InvalidOperationException("The token is a placeholder.");
            }
        }
        """);

    private static DiagnosticResult Secret(int markup, string text, string origin, string sink)
        => new DiagnosticResult(RuleCatalog.SecretValueLogged).WithLocation(markup).WithArguments(text, origin, sink);
}
