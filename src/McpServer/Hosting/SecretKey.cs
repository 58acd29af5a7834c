using System;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace McpSecurity.Server.Hosting;

/// <summary>The HS256 signing key, read from SECRET_KEY only: no default, no fallback (guide S1).</summary>
public static class SecretKey
{
    public const string VariableName = "SECRET_KEY";

    public const int MinimumLength = 32;

    public const string HowToGenerate = "Generate one with: openssl rand -base64 48";

    /// <summary>The key, or an error message naming SECRET_KEY and how to generate one.</summary>
    public static bool TryCreate(string? value, out SymmetricSecurityKey? key, out string error)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"{VariableName} is not set. The HTTP transport signs and validates tokens with it and has no default. {HowToGenerate}, then export {VariableName}=<that value>.";
            return false;
        }

        if (value.Length < MinimumLength)
        {
            error = $"{VariableName} is too short ({value.Length} characters; at least {MinimumLength} are required). {HowToGenerate}.";
            return false;
        }

        key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(value));
        error = string.Empty;
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/>, for callers that stop on a bad key.</summary>
    public static SymmetricSecurityKey Create(string? value)
        => TryCreate(value, out var key, out var error) ? key! : throw new InvalidOperationException(error);
}
