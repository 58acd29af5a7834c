using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace VulnerableMcpServer.Tools;

/// <summary>
/// Bearer-token authentication for the MCP endpoint, "relaxed" the way a demo gets relaxed: the
/// identity provider's tokens kept expiring during testing, so their lifetime stopped being checked.
/// </summary>
public static class TokenAuthentication
{
    public static IServiceCollection AddMcpTokenAuthentication(this IServiceCollection services, string authority, string audience)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.Authority = authority;
                options.Audience = audience;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = false, // planted: MCPSEC602
                };
            });
        return services;
    }
}
