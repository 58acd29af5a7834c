using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC610: <c>[McpServerTool(ReadOnly = true)]</c> or <c>Destructive = false</c> on a tool whose
/// body (or a method of the compilation it calls, <see cref="ToolSideEffects.HelperDepth"/> deep)
/// writes or deletes files, starts a process or sends a modifying HTTP request. Clients skip the
/// confirmation prompt for tools that promise to change nothing; a wrong promise gets a side effect
/// approved that the user never saw. One operation-block action per annotated tool; nothing runs for
/// tools without those annotations or in compilations without the SDK.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReadOnlyAnnotationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.ReadOnlyAnnotationContradicted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerToolAttribute") is not { } toolAttribute)
            {
                return;
            }

            var effects = new ToolSideEffects(start.Compilation);
            start.RegisterOperationBlockAction(block => AnalyzeTool(block, toolAttribute, effects));
        });
    }

    private static void AnalyzeTool(OperationBlockAnalysisContext context, INamedTypeSymbol toolAttribute, ToolSideEffects effects)
    {
        if (context.OwningSymbol is not IMethodSymbol method || context.OperationBlocks.IsDefaultOrEmpty)
        {
            return;
        }

        AttributeData? tool = null;
        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, toolAttribute))
            {
                tool = attribute;
                break;
            }
        }

        if (tool is null)
        {
            return;
        }

        var readOnly = false;
        var notDestructive = false;
        foreach (var named in tool.NamedArguments)
        {
            readOnly |= named.Key == "ReadOnly" && named.Value.Value is true;
            notDestructive |= named.Key == "Destructive" && named.Value.Value is false;
        }

        if (!readOnly && !notDestructive)
        {
            return;
        }

        var found = effects.Find(context.OperationBlocks, method, context.CancellationToken);
        var name = McpToolMethods.ToolName(method, tool);
        // The destructive effect, when there is one, is the stronger evidence to name.
        if (readOnly && (found.Destructive ?? found.Any) is { } any && Argument(tool, "ReadOnly") is { } readOnlyArgument)
        {
            context.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.ReadOnlyAnnotationContradicted, readOnlyArgument.GetLocation(), name, "ReadOnly = true", any.Description));
        }

        if (notDestructive && found.Destructive is { } destructive && Argument(tool, "Destructive") is { } destructiveArgument)
        {
            context.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.ReadOnlyAnnotationContradicted, destructiveArgument.GetLocation(), name, "Destructive = false", destructive.Description));
        }
    }

    private static AttributeArgumentSyntax? Argument(AttributeData attribute, string name)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list })
        {
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument;
                }
            }
        }

        return null;
    }
}
