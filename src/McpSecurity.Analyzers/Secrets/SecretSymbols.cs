using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.Secrets;

/// <summary>
/// The well-known types the secret rules recognise, resolved once per compilation. Any of them may
/// be absent (no Microsoft.Extensions.Configuration, no IdentityModel): the shapes that need a
/// missing type are then simply not recognised.
/// </summary>
internal sealed class SecretSymbols
{
    private SecretSymbols(Compilation compilation)
    {
        String = compilation.GetSpecialType(SpecialType.System_String);
        Environment = compilation.GetTypeByMetadataName("System.Environment");
        Encoding = compilation.GetTypeByMetadataName("System.Text.Encoding");
        Convert = compilation.GetTypeByMetadataName("System.Convert");
        Configuration = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfiguration");
        ConfigurationSection = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfigurationSection");
        ConfigurationBinder = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationBinder");
        ConfigurationExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationExtensions");
        SymmetricAlgorithm = compilation.GetTypeByMetadataName("System.Security.Cryptography.SymmetricAlgorithm");
        KeyedHashAlgorithm = compilation.GetTypeByMetadataName("System.Security.Cryptography.KeyedHashAlgorithm");
        NetworkCredential = compilation.GetTypeByMetadataName("System.Net.NetworkCredential");
        SecureString = compilation.GetTypeByMetadataName("System.Security.SecureString");
        AuthenticationHeaderValue = compilation.GetTypeByMetadataName("System.Net.Http.Headers.AuthenticationHeaderValue");
        KeyValuePair = compilation.GetTypeByMetadataName("System.Collections.Generic.KeyValuePair`2");
        KeyValuePairFactory = compilation.GetTypeByMetadataName("System.Collections.Generic.KeyValuePair");
        Expression = compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1");
    }

    public INamedTypeSymbol String { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? Encoding { get; }

    public INamedTypeSymbol? Convert { get; }

    public INamedTypeSymbol? Configuration { get; }

    public INamedTypeSymbol? ConfigurationSection { get; }

    public INamedTypeSymbol? ConfigurationBinder { get; }

    public INamedTypeSymbol? ConfigurationExtensions { get; }

    public INamedTypeSymbol? SymmetricAlgorithm { get; }

    public INamedTypeSymbol? KeyedHashAlgorithm { get; }

    public INamedTypeSymbol? NetworkCredential { get; }

    public INamedTypeSymbol? SecureString { get; }

    public INamedTypeSymbol? AuthenticationHeaderValue { get; }

    public INamedTypeSymbol? KeyValuePair { get; }

    public INamedTypeSymbol? KeyValuePairFactory { get; }

    public INamedTypeSymbol? Expression { get; }

    public static SecretSymbols Create(Compilation compilation) => new(compilation);

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => expected is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    /// <summary>The type is, implements or derives from <paramref name="expected"/>.</summary>
    public static bool IsOrInherits(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (expected is null || type is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsConfiguration(ITypeSymbol? type) => IsOrInherits(type, Configuration);
}
