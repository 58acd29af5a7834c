using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.TestSupport;

/// <summary>The real packages the secret rules recognise (configuration, token signing), each set resolved once per run.</summary>
internal static class SecretTestReferences
{
    public static readonly ReferenceAssemblies Configuration = TestReferences.With(
        ("Microsoft.Extensions.Configuration.Abstractions", "8.0.0"),
        ("Microsoft.Extensions.Configuration.Binder", "8.0.0"),
        ("Microsoft.Extensions.Configuration", "8.0.0"));

    public static readonly ReferenceAssemblies IdentityModel = TestReferences.With(
        ("Microsoft.IdentityModel.Tokens", "8.16.0"));
}
