using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC601: <c>MapMcp(...)</c> whose endpoint never gets authorization — no <c>RequireAuthorization(…)</c>
/// or <c>[Authorize]</c> metadata on its builder or on a route group it is mapped in — in a compilation
/// without an authorization fallback policy; and an endpoint marked <c>AllowAnonymous()</c>, which stays
/// unauthenticated whatever else is set. Decided per MapMcp call (an operation action, live in the IDE);
/// the fallback policy, which usually sits in another file, is looked up once per compilation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class McpEndpointAuthorizationAnalyzer : DiagnosticAnalyzer
{
    internal const string AnonymousProperty = "Anonymous";

    private const string NoAuthorization =
        "that requires no authorization: any client that reaches it can call its tools; chain '.RequireAuthorization()' or set an authorization fallback policy";

    private const string ExplicitlyAnonymous =
        "marked AllowAnonymous: it is unauthenticated, any client that reaches it can call its tools; remove AllowAnonymous and require authorization";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.McpEndpointWithoutAuthorization);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (McpEndpointSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var fallbackPolicy = new AuthorizationFallbackPolicy(start.Compilation, symbols);
            start.RegisterOperationAction(
                operation =>
                {
                    var call = (IInvocationOperation)operation.Operation;
                    if (!symbols.IsMapMcp(call.TargetMethod))
                    {
                        return;
                    }

                    var facts = EndpointAuthorization.Of(call, symbols);
                    if (facts.Anonymous)
                    {
                        operation.ReportUnlessBaselined(Diagnostic.Create(
                            RuleCatalog.McpEndpointWithoutAuthorization,
                            call.Syntax.GetLocation(),
                            ImmutableDictionary<string, string?>.Empty.Add(AnonymousProperty, "true"),
                            call.Syntax.ToString(),
                            ExplicitlyAnonymous));
                    }
                    else if (!facts.Required && !facts.HandedOff && !fallbackPolicy.IsSet(operation.CancellationToken))
                    {
                        operation.ReportUnlessBaselined(Diagnostic.Create(
                            RuleCatalog.McpEndpointWithoutAuthorization, call.Syntax.GetLocation(), call.Syntax.ToString(), NoAuthorization));
                    }
                },
                OperationKind.Invocation);
        });
    }
}
