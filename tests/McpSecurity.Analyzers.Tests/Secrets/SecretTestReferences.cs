using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.Secrets;

/// <summary>The real packages the secret rules recognise, each set resolved once per run.</summary>
internal static class SecretTestReferences
{
    public static readonly ReferenceAssemblies Configuration = TestReferences.With(
        ("Microsoft.Extensions.Configuration.Abstractions", "8.0.0"),
        ("Microsoft.Extensions.Configuration.Binder", "8.0.0"),
        ("Microsoft.Extensions.Configuration", "8.0.0"));

    public static readonly ReferenceAssemblies IdentityModel = TestReferences.With(
        ("Microsoft.IdentityModel.Tokens", "8.16.0"));
}
