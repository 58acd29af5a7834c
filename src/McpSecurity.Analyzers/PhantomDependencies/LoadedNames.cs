using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace McpSecurity.Analyzers.PhantomDependencies;

/// <summary>
/// Answers "does this name exist" for MCPSEC301 from the compilation's own assembly and the
/// assemblies it references (type forwarders followed), built on first use: constant-name loads are
/// rare, so a compilation without one pays nothing.
/// </summary>
internal sealed class LoadedNames
{
    private readonly Compilation compilation;
    private readonly object gate = new();
    private Dictionary<string, IAssemblySymbol>? assemblies;

    public LoadedNames(Compilation compilation) => this.compilation = compilation;

    public IAssemblySymbol OwnAssembly => compilation.Assembly;

    /// <summary>The compilation's own assembly or a referenced one, by simple name (case-insensitive, as the loader matches).</summary>
    public IAssemblySymbol? FindAssembly(string simpleName)
        => Assemblies().TryGetValue(simpleName, out var assembly) ? assembly : null;

    public static bool Defines(IAssemblySymbol assembly, string typeName)
        => assembly.GetTypeByMetadataName(typeName) is not null || assembly.ResolveForwardedType(typeName) is not null;

    /// <summary>
    /// Whether <paramref name="assembly"/> certainly lacks <paramref name="typeName"/>. A reference
    /// assembly (the framework's, many packages' <c>ref/</c> folders) lists public types only, and
    /// reflection into a library's internal types by name is deliberate: such an assembly is never
    /// said to lack a type.
    /// </summary>
    public static bool LacksType(IAssemblySymbol assembly, string typeName)
        => !Defines(assembly, typeName) && !IsReferenceAssembly(assembly);

    private static bool IsReferenceAssembly(IAssemblySymbol assembly)
    {
        foreach (var attribute in assembly.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "ReferenceAssemblyAttribute" } attributeClass
                && attributeClass.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the compilation or any assembly it references defines <paramref name="typeName"/>.</summary>
    public bool DefinedAnywhere(string typeName)
    {
        foreach (var assembly in Assemblies().Values)
        {
            if (Defines(assembly, typeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A referenced third-party assembly whose name is a dotted prefix of <paramref name="simpleName"/>:
    /// <c>ModelContextProtocol.Client</c> next to the referenced <c>ModelContextProtocol</c>, the shape of a
    /// hallucinated sub-package. Framework roots (<c>System</c>, <c>Microsoft</c>, …) are left out:
    /// <c>System.Windows.Forms</c> is loaded by name on purpose where it exists, and the compilation's own
    /// name too: <c>MyApp.Plugins.X</c> is a plug-in that is deployed beside it, not referenced.
    /// </summary>
    public IAssemblySymbol? ReferencedParentOf(string simpleName)
    {
        if (IsFrameworkName(simpleName))
        {
            return null;
        }

        IAssemblySymbol? parent = null;
        foreach (var pair in Assemblies())
        {
            var name = pair.Key;
            if (simpleName.Length > name.Length
                && simpleName[name.Length] == '.'
                && simpleName.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && !SymbolEqualityComparer.Default.Equals(pair.Value, compilation.Assembly)
                && !simpleName.StartsWith(compilation.AssemblyName + ".", StringComparison.OrdinalIgnoreCase)
                && (parent is null || name.Length > parent.Identity.Name.Length))
            {
                parent = pair.Value;
            }
        }

        return parent;
    }

    /// <summary>
    /// A name under the framework's roots. Its types may be internal ones of the core library, which
    /// the compile-time reference assemblies do not list, and its assemblies may be optional parts
    /// present where they are used: neither is said not to exist.
    /// </summary>
    public static bool IsFrameworkName(string name)
        => name.StartsWith("System", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Microsoft", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Windows", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Presentation", StringComparison.OrdinalIgnoreCase)
            || name.Equals("mscorlib", StringComparison.OrdinalIgnoreCase)
            || name.Equals("netstandard", StringComparison.OrdinalIgnoreCase);

    private Dictionary<string, IAssemblySymbol> Assemblies()
    {
        lock (gate)
        {
            if (assemblies is null)
            {
                assemblies = new Dictionary<string, IAssemblySymbol>(StringComparer.OrdinalIgnoreCase);
                assemblies[compilation.Assembly.Identity.Name] = compilation.Assembly;
                foreach (var referenced in compilation.SourceModule.ReferencedAssemblySymbols)
                {
                    if (!assemblies.ContainsKey(referenced.Identity.Name))
                    {
                        assemblies[referenced.Identity.Name] = referenced;
                    }
                }
            }

            return assemblies;
        }
    }
}
