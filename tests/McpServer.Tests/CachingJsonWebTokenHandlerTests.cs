using System.Security.Claims;
using System.Text;
using McpSecurity.Server.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Tests;

/// <summary>The token cache must never accept what a full validation would refuse.</summary>
public sealed class CachingJsonWebTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(new string('k', 48)));

    [Fact]
    public async Task A_cached_token_is_refused_once_it_has_expired()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var handler = new CachingJsonWebTokenHandler(clock) { MapInboundClaims = false };
        var token = TokenIssuer.Create(Key, "mcpsec", "mcpsec-mcp", "alice", [Scopes.Tools], TimeSpan.FromMinutes(10));
        var parameters = Parameters(clock);

        var first = await handler.ValidateTokenAsync(token, parameters);
        clock.Now += TimeSpan.FromSeconds(30);
        var cached = await handler.ValidateTokenAsync(token, parameters);
        clock.Now += TimeSpan.FromMinutes(10);
        var expired = await handler.ValidateTokenAsync(token, parameters);

        Assert.True(first.IsValid);
        Assert.True(cached.IsValid);
        Assert.False(expired.IsValid);
    }

    [Fact]
    public async Task Each_request_gets_its_own_identity_with_the_tokens_claims()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var handler = new CachingJsonWebTokenHandler(clock) { MapInboundClaims = false };
        var token = TokenIssuer.Create(Key, "mcpsec", "mcpsec-mcp", "alice", [Scopes.Tools], TimeSpan.FromMinutes(10));
        var parameters = Parameters(clock);

        await handler.ValidateTokenAsync(token, parameters);
        var cached = await handler.ValidateTokenAsync(token, parameters);
        cached.ClaimsIdentity.AddClaim(new Claim("scope", Scopes.RunProgram));
        var next = await handler.ValidateTokenAsync(token, parameters);

        Assert.NotSame(cached.ClaimsIdentity, next.ClaimsIdentity);
        Assert.Equal("alice", next.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.DoesNotContain(next.ClaimsIdentity.FindAll("scope"), claim => claim.Value.Contains(Scopes.RunProgram, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_even_after_a_valid_one_was_cached()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var handler = new CachingJsonWebTokenHandler(clock) { MapInboundClaims = false };
        var parameters = Parameters(clock);
        var valid = TokenIssuer.Create(Key, "mcpsec", "mcpsec-mcp", "alice", [Scopes.Tools], TimeSpan.FromMinutes(10));
        var forged = TokenIssuer.Create(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('x', 48))), "mcpsec", "mcpsec-mcp", "alice", [Scopes.Tools], TimeSpan.FromMinutes(10));

        Assert.True((await handler.ValidateTokenAsync(valid, parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, parameters)).IsValid);
    }

    private static TokenValidationParameters Parameters(ManualClock clock) => new()
    {
        ValidIssuer = "mcpsec",
        ValidAudience = "mcpsec-mcp",
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
        // The full validation reads the same clock as the cache, so "expired" means the same to both.
        LifetimeValidator = (notBefore, expires, _, _) => expires is { } end && end > clock.Now.UtcDateTime,
    };

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
