using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC609: in an MCP server (<see cref="McpServerCompilation"/>), a process
/// started without clearing or pruning its environment inherits everything the server holds —
/// <c>SECRET_KEY</c>, cloud credentials, tokens. Reported on the <c>new ProcessStartInfo</c> (or the
/// <c>new Process</c> whose own start info is used) when nothing in the body calls
/// <c>Environment.Clear()</c>/<c>Remove(…)</c> (or <c>EnvironmentVariables</c>') on it and no method of
/// the compilation it is handed to does; and on <c>Process.Start(fileName, …)</c>, which has no start
/// info to prune. Every code path of the server is counted, not only tool methods: the environment is
/// the process's, and tools usually start programs through a helper (<c>ProcessRunner.Run</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ChildEnvironmentAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.ChildProcessInheritsSecrets);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ProcessSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            var server = new McpServerCompilation(start.Compilation, start.Options);
            if (!server.MayBeServer)
            {
                return;
            }

            var helpers = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                var startsProcess = new BlockFlag();
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        if (!startsProcess.IsSet && StartsOrBuildsProcess(operation.Operation, symbols))
                        {
                            startsProcess.Set();
                        }
                    },
                    OperationKind.ObjectCreation,
                    OperationKind.Invocation);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (startsProcess.IsSet && server.IsServer(block.CancellationToken))
                    {
                        AnalyzeBody(block, symbols, helpers);
                    }
                });
            });
        });
    }

    private static bool StartsOrBuildsProcess(IOperation operation, ProcessSymbols symbols)
        => operation switch
        {
            IObjectCreationOperation creation => symbols.IsProcessOrStartInfo(creation.Type),
            IInvocationOperation { TargetMethod: { Name: "Start", IsStatic: true } method } => SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Process),
            _ => false,
        };

    private static void AnalyzeBody(OperationBlockAnalysisContext context, ProcessSymbols symbols, ConcurrentDictionary<IMethodSymbol, bool> helpers)
    {
        foreach (var launch in ProcessLaunches.Collect(context.OperationBlocks, symbols))
        {
            if (ReportedAt(launch, symbols, helpers, context.CancellationToken) is { } at)
            {
                var display = at is IInvocationOperation call
                    ? "'" + call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name + "(…)'"
                    : "'new " + at.Type?.Name + "'";
                context.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.ChildProcessInheritsSecrets, at.Syntax.GetLocation(), display));
            }
        }
    }

    /// <summary>Where <paramref name="launch"/> is reported (its start call or creation), or null when its environment is pruned or made elsewhere.</summary>
    internal static IOperation? ReportedAt(ProcessLaunch launch, ProcessSymbols symbols, ConcurrentDictionary<IMethodSymbol, bool>? helpers, CancellationToken cancellationToken)
    {
        if (launch.StartCall is { } startCall)
        {
            // Process.Start("git", args): the child gets the server's environment and there is no start info to prune.
            return startCall;
        }

        if (launch.EnvironmentPrunes.Count > 0
            || launch.HandedTo.Any(call => PrunesEnvironment(call.TargetMethod, helpers, cancellationToken)))
        {
            return null;
        }

        var startInfo = launch.Creations.FirstOrDefault(c => SymbolEqualityComparer.Default.Equals(c.Type, symbols.StartInfo));
        if (startInfo is not null)
        {
            return startInfo;
        }

        // new Process { StartInfo = psi } with psi from a parameter or factory: reported where that start info is made.
        if (launch.StartInfoFromElsewhere || launch.Holders.Any(h => SymbolEqualityComparer.Default.Equals(TypeOf(h), symbols.StartInfo)))
        {
            return null;
        }

        return launch.Creations.FirstOrDefault();
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol)
        => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

    /// <summary>
    /// Whether a method of this compilation that is given the start info clears or prunes an
    /// environment (<c>ScrubEnvironment(psi)</c>, as the helper that builds a child's allow-list does).
    /// Read from its syntax, one level deep, once per method.
    /// </summary>
    private static bool PrunesEnvironment(IMethodSymbol method, ConcurrentDictionary<IMethodSymbol, bool>? helpers, CancellationToken cancellationToken)
    {
        method = method.ReducedFrom ?? method;
        if (helpers is null)
        {
            return ReadPrunes(method, cancellationToken);
        }

        return helpers.GetOrAdd(method.OriginalDefinition, m => ReadPrunes(m, cancellationToken));
    }

    private static bool ReadPrunes(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax
                        {
                            Name.Identifier.ValueText: "Clear" or "Remove",
                            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Environment" or "EnvironmentVariables" },
                        },
                    })
                {
                    return true;
                }
            }
        }

        return false;
    }
}
