using System;
using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.PhantomDependencies;

/// <summary>
/// MCPSEC301 (guide S3): a load by a constant name that resolves to nothing. The compiler rejects a
/// missing <c>using</c>; it cannot see <c>Type.GetType("…")</c>, <c>Assembly.Load("…")</c>,
/// <c>assembly.GetType("…")</c>, <c>Activator.CreateInstance("asm", "type")</c> or
/// <c>AppDomain.CreateInstance*</c>, which compile and then fail when the server starts. Reported:
/// a type name without an assembly that neither the compilation nor any reference defines (at run
/// time such a name is looked up in the calling assembly and the core library only, so it cannot
/// come from anywhere else); a type missing from an assembly the project references or is; an
/// assembly that is not referenced but is named as a part of a referenced third-party one. Not
/// reported: names that are not constant, generic or array type names, case-insensitive lookups,
/// custom resolvers, a lookup whose result is checked for null (a probe such as
/// <c>Type.GetType("Mono.Runtime") != null</c>), and unreferenced assemblies otherwise (plug-ins and
/// optional framework parts are loaded by name on purpose).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LoadByNameAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.LoadOfMissingTypeOrAssembly);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            var type = compilation.GetTypeByMetadataName("System.Type");
            var assembly = compilation.GetTypeByMetadataName("System.Reflection.Assembly");
            if (type is null || assembly is null)
            {
                return;
            }

            var loaders = new Loaders(
                type,
                assembly,
                compilation.GetTypeByMetadataName("System.Activator"),
                compilation.GetTypeByMetadataName("System.AppDomain"),
                new LoadedNames(compilation));
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, loaders), OperationKind.Invocation);
        });
    }

    private sealed class Loaders
    {
        public Loaders(INamedTypeSymbol type, INamedTypeSymbol assembly, INamedTypeSymbol? activator, INamedTypeSymbol? appDomain, LoadedNames names)
        {
            Type = type;
            Assembly = assembly;
            Activator = activator;
            AppDomain = appDomain;
            Names = names;
        }

        public INamedTypeSymbol Type { get; }

        public INamedTypeSymbol Assembly { get; }

        public INamedTypeSymbol? Activator { get; }

        public INamedTypeSymbol? AppDomain { get; }

        public LoadedNames Names { get; }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Loaders loaders)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        var owner = method.ContainingType;
        string? reason;
        string name;
        if (method.Name == "GetType" && SymbolEqualityComparer.Default.Equals(owner, loaders.Type) && method.IsStatic)
        {
            if (!OnlyNameAndFlags(call) || Constant(call, 0) is not { } text || IgnoresCase(call) || IsProbe(call))
            {
                return;
            }

            name = text;
            reason = MissingQualifiedType(text, loaders.Names);
        }
        else if (method.Name == "Load" && method.IsStatic && SymbolEqualityComparer.Default.Equals(owner, loaders.Assembly))
        {
            if (method.Parameters.Length != 1 || Constant(call, 0) is not { } text)
            {
                return;
            }

            name = text;
            reason = MissingAssembly(SimpleAssemblyName(text), loaders.Names, out _);
        }
        else if (method.Name == "GetType" && !method.IsStatic && owner.DerivesFrom(loaders.Assembly))
        {
            if (!OnlyNameAndFlags(call) || Constant(call, 0) is not { } text || IgnoresCase(call) || IsProbe(call)
                || !IsPlainTypeName(text) || KnownAssembly(call.Instance, loaders) is not { } assembly)
            {
                return;
            }

            name = text;
            reason = LoadedNames.LacksType(assembly, text) ? "is not a type of the assembly '" + assembly.Identity.Name + "'" : null;
        }
        else if ((method.Name == "CreateInstance" && method.IsStatic && SymbolEqualityComparer.Default.Equals(owner, loaders.Activator))
            || (method.Name is "CreateInstance" or "CreateInstanceAndUnwrap" && !method.IsStatic && owner.DerivesFrom(loaders.AppDomain)))
        {
            if (method.Parameters.Length < 2
                || method.Parameters[0].Type.SpecialType != SpecialType.System_String
                || method.Parameters[1].Type.SpecialType != SpecialType.System_String
                || Constant(call, 0) is not { } assemblyName
                || Constant(call, 1) is not { } typeName
                || !IsPlainTypeName(typeName))
            {
                return;
            }

            name = typeName + ", " + assemblyName;
            reason = MissingAssembly(SimpleAssemblyName(assemblyName), loaders.Names, out var assembly)
                ?? (assembly is not null && LoadedNames.LacksType(assembly, typeName) ? "is not a type of the assembly '" + assembly.Identity.Name + "'" : null);
        }
        else
        {
            return;
        }

        if (reason is not null)
        {
            var shown = owner.Name == "Assembly" && !method.IsStatic ? "Assembly.GetType" : owner.Name + "." + method.Name;
            var location = (ArgumentFor(call, 0)?.Value.Syntax ?? call.Syntax).GetLocation();
            context.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.LoadOfMissingTypeOrAssembly, location, "'" + shown + "'", name, reason));
        }
    }

    /// <summary>Why <c>Type.GetType(text)</c> finds nothing, or null when it may find something.</summary>
    private static string? MissingQualifiedType(string text, LoadedNames names)
    {
        var comma = text.IndexOf(',');
        var typeName = (comma < 0 ? text : text.Substring(0, comma)).Trim();
        if (!IsPlainTypeName(typeName))
        {
            return null;
        }

        if (comma < 0)
        {
            return LoadedNames.IsFrameworkName(typeName) || names.DefinedAnywhere(typeName)
                ? null
                : "is not a type of the compilation or of any assembly it references";
        }

        var assemblyName = SimpleAssemblyName(text.Substring(comma + 1));
        return MissingAssembly(assemblyName, names, out var assembly)
            ?? (assembly is not null && LoadedNames.LacksType(assembly, typeName) ? "is not a type of the assembly '" + assembly.Identity.Name + "'" : null);
    }

    /// <summary>Why the assembly cannot load (null when it may), and the assembly when the compilation knows it.</summary>
    private static string? MissingAssembly(string simpleName, LoadedNames names, out IAssemblySymbol? assembly)
    {
        assembly = simpleName.Length == 0 ? null : names.FindAssembly(simpleName);
        if (assembly is not null || simpleName.Length == 0)
        {
            return null;
        }

        return names.ReferencedParentOf(simpleName) is { } parent
            ? "names an assembly that is not referenced; the referenced '" + parent.Identity.Name + "' has no such part"
            : null;
    }

    /// <summary><c>Name, Version=1.0.0.0, Culture=neutral</c> → <c>Name</c>.</summary>
    private static string SimpleAssemblyName(string displayName)
    {
        var comma = displayName.IndexOf(',');
        return (comma < 0 ? displayName : displayName.Substring(0, comma)).Trim();
    }

    /// <summary>A metadata type name without generic arguments, array, pointer or by-ref suffixes, or escapes.</summary>
    private static bool IsPlainTypeName(string name)
        => name.Length > 0 && name.IndexOfAny(['[', ']', '*', '&', '\\', ',', ' ']) < 0;

    /// <summary><c>GetType(string)</c>, <c>GetType(string, bool)</c>, <c>GetType(string, bool, bool)</c>: not the resolver overloads.</summary>
    private static bool OnlyNameAndFlags(IInvocationOperation call)
    {
        var parameters = call.TargetMethod.Parameters;
        if (parameters.Length == 0 || parameters[0].Type.SpecialType != SpecialType.System_String)
        {
            return false;
        }

        for (var i = 1; i < parameters.Length; i++)
        {
            if (parameters[i].Type.SpecialType != SpecialType.System_Boolean)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The third flag of <c>GetType(name, throwOnError, ignoreCase)</c> set (or not constant).</summary>
    private static bool IgnoresCase(IInvocationOperation call)
        => ArgumentFor(call, 2) is { } ignoreCase && ignoreCase.Value.ConstantValue is not { HasValue: true, Value: false };

    private static string? Constant(IInvocationOperation call, int parameterOrdinal)
        => ArgumentFor(call, parameterOrdinal)?.Value.ConstantValue is { HasValue: true, Value: string text } ? text : null;

    /// <summary>The argument for a parameter: with named arguments the order of <c>Arguments</c> is the source's.</summary>
    private static IArgumentOperation? ArgumentFor(IInvocationOperation call, int parameterOrdinal)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Ordinal == parameterOrdinal)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The result checked for null (<c>== null</c>, <c>is null</c>, <c>?.</c>, <c>??</c>): the code expects the name may not exist.</summary>
    private static bool IsProbe(IOperation call)
    {
        var parent = call.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } => true,
            IIsPatternOperation or IConditionalAccessOperation or ICoalesceOperation => true,
            _ => false,
        };
    }

    /// <summary>The assembly a receiver of <c>GetType</c> is known to be: <c>typeof(X).Assembly</c>, <c>Assembly.GetExecutingAssembly()</c>, <c>Assembly.Load("referenced")</c>.</summary>
    private static IAssemblySymbol? KnownAssembly(IOperation? receiver, Loaders loaders)
    {
        while (receiver is IConversionOperation conversion)
        {
            receiver = conversion.Operand;
        }

        return receiver switch
        {
            IPropertyReferenceOperation { Property.Name: "Assembly", Instance: ITypeOfOperation typeOf } => typeOf.TypeOperand.ContainingAssembly,
            IInvocationOperation { TargetMethod: { Name: "GetExecutingAssembly", IsStatic: true } method } when SymbolEqualityComparer.Default.Equals(method.ContainingType, loaders.Assembly)
                => loaders.Names.OwnAssembly,
            IInvocationOperation { TargetMethod: { Name: "Load", IsStatic: true, Parameters.Length: 1 } method } load
                when SymbolEqualityComparer.Default.Equals(method.ContainingType, loaders.Assembly) && Constant(load, 0) is { } text
                => loaders.Names.FindAssembly(SimpleAssemblyName(text)),
            _ => null,
        };
    }
}
