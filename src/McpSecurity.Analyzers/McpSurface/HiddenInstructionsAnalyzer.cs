using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using McpSecurity.Analyzers.Shared;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC606: hidden instructions in the text a client's model reads about a tool, prompt or
/// resource — its <c>[Description]</c>, the attribute's <c>Name</c> and <c>Title</c>, the
/// descriptions of its parameters and of the properties of its parameter types, and the
/// <c>Name</c>/<c>Title</c>/<c>Description</c> of the SDK's protocol and options types set in code.
/// Every value is the constant the compiler computes (concatenated constants, <c>nameof</c>,
/// constant interpolation), so an escape such as <c>\u200B</c> in the source counts as the
/// character it stands for. Per-symbol and per-assignment work, no compilation-end action: the IDE
/// shows the diagnostic as the text is typed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HiddenInstructionsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.HiddenInstructionsInToolMetadata);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = ToolMetadataSymbols.Create(start.Compilation);
            if (!symbols.ReferencesMcpServer)
            {
                return;
            }

            var analysis = new Analysis(symbols, UntrustedInputSources.Create(start.Compilation, start.Options));
            start.RegisterSymbolAction(analysis.AnalyzeMethod, SymbolKind.Method);
            start.RegisterSymbolAction(analysis.AnalyzeType, SymbolKind.NamedType);
            if (!symbols.MetadataTypes.IsEmpty)
            {
                start.RegisterOperationAction(analysis.AnalyzeAssignment, OperationKind.SimpleAssignment);
            }

            if (!symbols.Factories.IsEmpty)
            {
                start.RegisterOperationAction(analysis.AnalyzeFactoryCall, OperationKind.Invocation);
            }
        });
    }

    private sealed class Analysis
    {
        private readonly ToolMetadataSymbols symbols;
        private readonly UntrustedInputSources sources;

        // A parameter type shared by many tools, or a method handed to several Create calls, is reported once.
        private readonly ConcurrentDictionary<ISymbol, byte> checkedMembers = new(SymbolEqualityComparer.Default);

        public Analysis(ToolMetadataSymbols symbols, UntrustedInputSources sources)
        {
            this.symbols = symbols;
            this.sources = sources;
        }

        public void AnalyzeMethod(SymbolAnalysisContext context)
        {
            var method = (IMethodSymbol)context.Symbol;

            // A partial method's attributes are merged on both parts: the part with the body reports
            // them. The SDK's generator writes a tool's XML documentation as [Description]s on the
            // other, generated part, which the analysis of generated code would never see.
            if (method.PartialImplementationPart is not null)
            {
                return;
            }

            var tree = method.Locations.Length > 0 ? method.Locations[0].SourceTree : null;
            if (McpToolMethods.ToolAttribute(method, sources.ConfigurationFor(tree).ToolAttributes) is not { } toolAttribute)
            {
                return;
            }

            var kind = SymbolEqualityComparer.Default.Equals(toolAttribute.AttributeClass, symbols.PromptAttribute) ? "prompt"
                : SymbolEqualityComparer.Default.Equals(toolAttribute.AttributeClass, symbols.ResourceAttribute) ? "resource"
                : "tool";
            var owner = kind + " '" + McpToolMethods.ToolName(method, toolAttribute) + "'";
            foreach (var named in toolAttribute.NamedArguments)
            {
                if (named.Key is "Name" or "Title" or "Description" && named.Value.Value is string text)
                {
                    Check(context.ReportDiagnostic, text, named.Key + " of " + owner, () => NamedArgumentLocation(toolAttribute, named.Key));
                }
            }

            CheckMember(context.ReportDiagnostic, method, owner, context.CancellationToken);
        }

        public void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            foreach (var attribute in type.GetAttributes())
            {
                if (ToolMetadataSymbols.Contains(symbols.TypeAttributes, attribute.AttributeClass))
                {
                    CheckDescriptions(context.ReportDiagnostic, type, "description of type '" + type.Name + "'", context.CancellationToken);
                    return;
                }
            }
        }

        public void AnalyzeAssignment(OperationAnalysisContext context)
        {
            var assignment = (ISimpleAssignmentOperation)context.Operation;
            if (assignment.Target is IPropertyReferenceOperation { Property: { Name: "Name" or "Title" or "Description" } property }
                && assignment.Value.ConstantValue is { HasValue: true, Value: string text }
                && ToolMetadataSymbols.Contains(symbols.MetadataTypes, property.ContainingType))
            {
                Check(context.ReportDiagnostic, text, "'" + property.ContainingType.Name + "." + property.Name + "'", () => assignment.Value.Syntax.GetLocation());
            }
        }

        /// <summary><c>McpServerTool.Create(delegate, …)</c>: the delegate's own <c>[Description]</c>s become the tool's.</summary>
        public void AnalyzeFactoryCall(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod is not { Name: "Create", IsStatic: true } create
                || !ToolMetadataSymbols.Contains(symbols.Factories, create.ContainingType))
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                var value = argument.Value;
                while (value is IConversionOperation conversion)
                {
                    value = conversion.Operand;
                }

                if (value is not IDelegateCreationOperation creation)
                {
                    continue;
                }

                var factory = create.ContainingType.Name + ".Create";
                switch (creation.Target)
                {
                    case IAnonymousFunctionOperation lambda:
                        CheckMember(context.ReportDiagnostic, lambda.Symbol, "delegate given to " + factory, context.CancellationToken);
                        break;

                    // A method that is a tool by attribute is checked as one already.
                    case IMethodReferenceOperation { Method: var method }
                        when method.DeclaringSyntaxReferences.Length > 0
                            && McpToolMethods.ToolAttribute(method, sources.ConfigurationFor(method.DeclaringSyntaxReferences[0].SyntaxTree).ToolAttributes) is null
                            && checkedMembers.TryAdd(method.OriginalDefinition, 0):
                        CheckMember(context.ReportDiagnostic, method, "method '" + method.Name + "' given to " + factory, context.CancellationToken);
                        break;
                }
            }
        }

        /// <summary>A tool method's description, its parameters', and (one level) the properties of its parameter types: the input schema the model reads.</summary>
        private void CheckMember(Action<Diagnostic> report, IMethodSymbol method, string owner, CancellationToken cancellationToken)
        {
            CheckDescriptions(report, method, "description of " + owner, cancellationToken);
            var tree = method.Locations.Length > 0 ? method.Locations[0].SourceTree : null;
            var injectedTypes = sources.ConfigurationFor(tree).InjectedTypes;
            foreach (var parameter in method.Parameters)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CheckDescriptions(report, parameter, "description of parameter '" + parameter.Name + "' of " + owner, cancellationToken);

                // Services the server injects are not part of the schema the client sees.
                if (!InjectedParameters.IsInjected(parameter, injectedTypes))
                {
                    CheckSchemaType(report, parameter.Type, cancellationToken);
                }
            }
        }

        private void CheckSchemaType(Action<Diagnostic> report, ITypeSymbol type, CancellationToken cancellationToken)
        {
            if (type is IArrayTypeSymbol array)
            {
                type = array.ElementType;
            }

            if (type is INamedTypeSymbol { IsGenericType: true } generic)
            {
                foreach (var argument in generic.TypeArguments)
                {
                    CheckSchemaTypeMembers(report, argument, cancellationToken);
                }
            }

            CheckSchemaTypeMembers(report, type, cancellationToken);
        }

        private void CheckSchemaTypeMembers(Action<Diagnostic> report, ITypeSymbol type, CancellationToken cancellationToken)
        {
            // Only the server's own types: framework and package types are not the server author's text.
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Enum } named
                || named.DeclaringSyntaxReferences.Length == 0
                || !checkedMembers.TryAdd(named.OriginalDefinition, 0))
            {
                return;
            }

            // The first tool to reach a shared type reports it, so the message names the type, not the tool.
            CheckDescriptions(report, named, "description of type '" + named.Name + "' (in a tool's schema)", cancellationToken);
            foreach (var member in named.GetMembers())
            {
                if (member is IPropertySymbol or IFieldSymbol)
                {
                    CheckDescriptions(report, member, "description of '" + named.Name + "." + member.Name + "' (in a tool's schema)", cancellationToken);
                }
            }
        }

        private void CheckDescriptions(Action<Diagnostic> report, ISymbol symbol, string what, CancellationToken cancellationToken)
        {
            if (symbols.DescriptionAttribute is null)
            {
                return;
            }

            foreach (var attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.DescriptionAttribute)
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string text)
                {
                    // A [Description] that a generator wrote (the SDK's, from the XML documentation)
                    // is reported where the documented symbol is: nobody edits the generated file.
                    if (attribute.ApplicationSyntaxReference is { } reference
                        && IsGenerated(reference.SyntaxTree, cancellationToken)
                        && symbol.Locations.Length > 0
                        && symbol.Locations[0].SourceTree is { } own
                        && !IsGenerated(own, cancellationToken))
                    {
                        Check(report, text, what + " (from its XML documentation)", () => symbol.Locations[0]);
                        continue;
                    }

                    Check(report, text, what, () => ConstructorArgumentLocation(attribute));
                }
            }
        }

        /// <summary>Generator output and files marked auto-generated (the conventions Roslyn's own check uses).</summary>
        private static bool IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var path = tree.FilePath;
            if (path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
            {
                if ((trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
                    && trivia.ToString().IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static void Check(Action<Diagnostic> report, string text, string what, Func<Location?> location)
        {
            if (HiddenInstructionText.FindEvidence(text) is { } evidence && location() is { } where)
            {
                report(Diagnostic.Create(RuleCatalog.HiddenInstructionsInToolMetadata, where, what, evidence));
            }
        }

        private static Location? ConstructorArgumentLocation(AttributeData attribute)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
            {
                return null;
            }

            if (syntax.ArgumentList is { } list)
            {
                foreach (var argument in list.Arguments)
                {
                    if (argument.NameEquals is null)
                    {
                        return argument.Expression.GetLocation();
                    }
                }
            }

            return syntax.GetLocation();
        }

        private static Location? NamedArgumentLocation(AttributeData attribute, string name)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
            {
                return null;
            }

            if (syntax.ArgumentList is { } list)
            {
                foreach (var argument in list.Arguments)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == name)
                    {
                        return argument.Expression.GetLocation();
                    }
                }
            }

            return syntax.GetLocation();
        }
    }
}
