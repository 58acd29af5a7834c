using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace VulnerableMcpServer.Tools;

// Guide S1, hardcoded secrets, as the guide's project shipped them and then shipped them again.
// Deliberately vulnerable: the build gate must fail on this file (MCPSEC101, MCPSEC102, MCPSEC103).

/// <summary>
/// JWT settings bound from configuration. The default is the guide's original S1 finding: anyone
/// who has read this file can forge tokens whenever configuration does not override it.
/// </summary>
public sealed class AuthSettings
{
    public string SecretKey { get; set; } = "your-secret-key-change-in-production"; // planted: MCPSEC101

    public string Algorithm { get; set; } = "HS256";

    public int TokenLifetimeMinutes { get; set; } = 60;
}

/// <summary>
/// The fix that regressed: two days after S1 was closed, any environment other than "production"
/// ran with a published key, and a second API kept its own literal fallback.
/// </summary>
public static class JwtKeys
{
    public static string ResolveSecretKey() =>
        Environment.GetEnvironmentVariable("ENVIRONMENT") != "production"
            ? "dev-fallback-key-NOT-for-production" // planted: MCPSEC102
            : Environment.GetEnvironmentVariable("SECRET_KEY") ?? throw new InvalidOperationException("SECRET_KEY environment variable is required");

    public static readonly string JwtSecretKey =
        Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? "dev-secret-key-change-in-production"; // planted: MCPSEC102

    public static string SigningKey(IConfiguration configuration) =>
        configuration.GetValue<string>("Jwt:Key", "dev-signing-key-0123456789"); // planted: MCPSEC102

    public static string Sign(string payload)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(ResolveSecretKey()));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(payload)));
    }
}

/// <summary>The mock auth service that was never removed: admin/admin123.</summary>
public sealed class MockAuthService
{
    private static readonly Dictionary<string, string> UserPasswords = new()
    {
        ["admin"] = "admin123", // planted: MCPSEC101
        ["guest"] = "guest", // planted: MCPSEC101
    };

    private readonly List<MockUser> _users =
    [
        new MockUser { Name = "admin", Password = "admin123", Role = "admin" }, // planted: MCPSEC101
    ];

    public bool Validate(string name, string password)
        => (UserPasswords.TryGetValue(name, out var expected) && expected == password)
            || _users.Exists(user => user.Name == name && user.Password == password);
}

public sealed class MockUser
{
    public string Name { get; init; } = "";

    public string Password { get; init; } = "";

    public string Role { get; init; } = "user";
}

/// <summary>A personal access token pasted into a clone URL "just for the demo".</summary>
public static class GitHubMirror
{
    public static readonly Uri CloneUrl = new("https://x-access-token:ghp_R2d2C3poBb8Ewok5Yoda9Luke4Leia7Han1S@github.com/example/tools.git"); // planted: MCPSEC103

    public static HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = new Uri("https://api.github.com/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4xMjM="); // planted: MCPSEC103
        return client;
    }
}
