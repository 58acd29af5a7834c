using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using McpSecurity.Analyzers;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Server.Engine;

/// <summary>
/// The analyzers and code fixes, discovered by reflection over the two assemblies so that a rule
/// landed by anyone is picked up without a list to keep in step.
/// </summary>
public static class AnalyzerSet
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyAnalyzers = new(() =>
        Instantiate<DiagnosticAnalyzer>(typeof(RuleCatalog).Assembly,
            type => type.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any()));

    private static readonly Lazy<ImmutableArray<CodeFixProvider>> LazyFixers = new(() =>
        Instantiate<CodeFixProvider>(Assembly.Load("McpSecurity.CodeFixes"),
            type => type.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any()));

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => LazyAnalyzers.Value;

    public static ImmutableArray<CodeFixProvider> Fixers => LazyFixers.Value;

    /// <summary>The fixers able to fix <paramref name="id"/>.</summary>
    public static IEnumerable<CodeFixProvider> FixersFor(string id)
        => Fixers.Where(fixer => fixer.FixableDiagnosticIds.Contains(id, StringComparer.Ordinal));

    private static ImmutableArray<T> Instantiate<T>(Assembly assembly, Func<Type, bool> exported)
        where T : class
        => assembly.GetTypes()
            .Where(type => typeof(T).IsAssignableFrom(type) && !type.IsAbstract && exported(type)
                && type.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .Select(type => (T)Activator.CreateInstance(type)!)
            .ToImmutableArray();
}
