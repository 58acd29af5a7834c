using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Hosting;

/// <summary>
/// Validates a bearer token once and reuses the outcome for later requests that present the very same
/// token string: a client sends one token with every call, and checking its HMAC and parsing its claims
/// each time was about a tenth of a cheap tool call's CPU. Only successful validations are kept, keyed by
/// the whole token (signature included, so a forged token can never match), never past the token's own
/// expiry, at most <see cref="MaxAge"/>, and at most <see cref="Capacity"/> tokens. Each request gets its
/// own copy of the identity, so nothing a request does to its principal reaches another.
/// </summary>
public sealed class CachingJsonWebTokenHandler(TimeProvider? clock = null) : JsonWebTokenHandler, IDisposable
{
    public const int Capacity = 10_000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly MemoryCache validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        if (token is not null && validated.TryGetValue(token, out ValidatedToken? hit) && hit is not null && now < hit.ValidUntil)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = hit.Identity.Clone(),
                SecurityToken = hit.SecurityToken,
                TokenType = hit.TokenType,
                Issuer = hit.Issuer,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (token is not null && result.IsValid && result.ClaimsIdentity is { } identity && result.SecurityToken is JsonWebToken jwt && jwt.ValidTo != DateTime.MinValue)
        {
            // The token's own expiry, without the clock skew the full validation allows: the cache is never more lenient.
            var validUntil = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
            if (validUntil > now + MaxAge)
            {
                validUntil = now + MaxAge;
            }

            validated.Set(token, new ValidatedToken(identity.Clone(), jwt, result.TokenType, result.Issuer, validUntil), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = validUntil,
            });
        }

        return result;
    }

    public void Dispose() => validated.Dispose();

    private sealed record ValidatedToken(System.Security.Claims.ClaimsIdentity Identity, JsonWebToken SecurityToken, string? TokenType, string? Issuer, DateTimeOffset ValidUntil);
}
