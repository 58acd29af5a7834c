using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.Shared;

/// <summary>
/// Whether a compilation is a test project: one that references xUnit, NUnit, MSTest or TUnit. Host
/// rules skip them, because tests switch checks off on purpose (an expired token in a fixture, a
/// stdio server whose output a test reads) and never run as the server.
/// </summary>
internal static class TestCompilations
{
    private static readonly string[] TestMarkers =
    [
        "Xunit.FactAttribute",
        "NUnit.Framework.TestAttribute",
        "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute",
        "TUnit.Core.TestAttribute",
    ];

    public static bool IsTestProject(Compilation compilation)
    {
        foreach (var marker in TestMarkers)
        {
            if (compilation.GetTypeByMetadataName(marker) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
