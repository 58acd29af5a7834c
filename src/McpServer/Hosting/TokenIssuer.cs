using System;
using System.Collections.Generic;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Hosting;

/// <summary>Mints the HS256 bearer tokens HTTP clients present.</summary>
public static class TokenIssuer
{
    public static string Create(SymmetricSecurityKey key, string issuer, string audience, string subject, IEnumerable<string> scopes, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["scope"] = string.Join(' ', scopes),
            },
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
