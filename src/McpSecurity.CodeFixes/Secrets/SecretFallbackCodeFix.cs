using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.CodeFixes.Secrets;

/// <summary>
/// MCPSEC102: the literal fallback becomes a failure, <c>?? throw new InvalidOperationException("NAME
/// is required …")</c>. <c>read ?? "dev"</c> keeps the read and throws; <c>GetValue&lt;string&gt;(key,
/// "dev")</c> loses its default; <c>env.IsDevelopment() ? "dev" : read</c> becomes <c>read ?? throw</c>;
/// <c>string.IsNullOrEmpty(s) ? "dev" : s</c> keeps its check and throws in the literal's place;
/// <c>if (s is null) s = "dev";</c> throws instead of assigning. An environment-guarded assignment
/// (<c>if (env != "production") key = "dev";</c>) gets no fix: deleting it is the fix, and that is
/// the developer's call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SecretFallbackCodeFix))]
public sealed class SecretFallbackCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.InsecureSecretFallback + ".FailWhenMissing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.InsecureSecretFallback);

    /// <summary>A secret read in a static initializer is also run from the entry point (<see cref="StartupCheck"/>).</summary>
    protected override bool CompletesOutsideDocument => true;

    protected override Task<Solution> CompleteAsync(
        Solution solution, IReadOnlyList<(Document Document, SyntaxNode Target)> fixedTargets, string? equivalenceKey, CancellationToken cancellationToken)
        => StartupCheck.AddForAsync(solution, fixedTargets, cancellationToken);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => await PlanAsync(document, target, cancellationToken).ConfigureAwait(false) is { } plan
            ? Offer("Fail when '" + plan.Fallback.RequiredName + "' is missing instead of falling back to a literal", EquivalenceKey)
            : None;

    private sealed class Plan
    {
        public Plan(SecretFallback fallback, SyntaxNode replaced, SyntaxNode replacement)
        {
            Fallback = fallback;
            Replaced = replaced;
            Replacement = replacement;
        }

        public SecretFallback Fallback { get; }

        public SyntaxNode Replaced { get; }

        public SyntaxNode Replacement { get; }
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => await PlanAsync(document, target, cancellationToken).ConfigureAwait(false) is { } plan
            ? await ReplaceAsync(document, plan.Replaced, plan.Replacement, cancellationToken).ConfigureAwait(false)
            : null;

    private static async Task<Plan?> PlanAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        var facts = await SecretFixFacts.CreateAsync(document, node, cancellationToken).ConfigureAwait(false);
        if (facts?.Destination.Fallback is not { } fallback
            || SecretFixFacts.InExpressionTree(facts.Model, fallback.Node.Syntax, facts.Symbols, cancellationToken))
        {
            return null;
        }

        var message = Message(fallback);
        switch (fallback.Shape)
        {
            // read ?? "dev"  →  read ?? throw …
            case FallbackShape.Coalesce when fallback.Node.Syntax is BinaryExpressionSyntax coalesce:
                return new Plan(fallback, coalesce.Right, SecretFixFacts.ThrowRequired(message).WithTriviaFrom(coalesce.Right));

            // GetValue<string>("Jwt:Key", "dev")  →  GetValue<string>("Jwt:Key") ?? throw …
            case FallbackShape.ConfigurationDefault when fallback.Node is IInvocationOperation invocation
                && invocation.Syntax is InvocationExpressionSyntax call
                && fallback.Fallback.Syntax is ArgumentSyntax defaultArgument:
                var withoutDefault = call.WithArgumentList(call.ArgumentList.WithArguments(call.ArgumentList.Arguments.Remove(defaultArgument)));
                if (invocation.TargetMethod.IsGenericMethod && ExplicitTypeArguments(withoutDefault, invocation.TargetMethod, facts.Model, call.SpanStart) is { } typed)
                {
                    withoutDefault = typed;
                }
                else if (invocation.TargetMethod.IsGenericMethod)
                {
                    return null;
                }

                return new Plan(fallback, call, SecretFixFacts.CoalesceThrow(withoutDefault, message).WithTriviaFrom(call));

            // IsNullOrEmpty(s) ? "dev" : s  →  IsNullOrEmpty(s) ? throw … : s  (an empty secret stays an error)
            case FallbackShape.NullOrEmptyConditional when fallback.Fallback.Syntax is ExpressionSyntax branch:
                return new Plan(fallback, branch, SecretFixFacts.ThrowRequired(message).WithTriviaFrom(branch));

            // s is null ? "dev" : s; env.IsDevelopment() ? "dev" : config["Jwt:Key"]  →  s ?? throw …
            case FallbackShape.NullConditional or FallbackShape.EnvironmentConditional or FallbackShape.ReadConditional
                when fallback.Node.Syntax is ConditionalExpressionSyntax conditional && fallback.Primary is { } primary:
                if (primary.Type is not { IsReferenceType: true } && primary.Type?.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
                {
                    return null;
                }

                var primarySyntax = StripSuppression((ExpressionSyntax)primary.Syntax);
                ExpressionSyntax replacement = primarySyntax is BinaryExpressionSyntax { Right: ThrowExpressionSyntax } alreadyFailing
                    && alreadyFailing.IsKind(SyntaxKind.CoalesceExpression)
                    ? SecretFixFacts.Parenthesize(alreadyFailing.WithoutTrivia())
                    : SecretFixFacts.CoalesceThrow(primarySyntax, message);
                return new Plan(fallback, conditional, replacement.WithTriviaFrom(conditional));

            // key ??= "dev"  →  key ?? throw … (as a value), or if (key is null) throw …; (as a statement)
            case FallbackShape.CoalesceAssignment when fallback.Node.Syntax is AssignmentExpressionSyntax assignment:
                if (assignment.Parent is ExpressionStatementSyntax statement)
                {
                    var check = SyntaxFactory.IfStatement(
                            SyntaxFactory.IsPatternExpression(
                                assignment.Left.WithoutTrivia(),
                                SyntaxFactory.ConstantPattern(SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression))),
                            SyntaxFactory.Block(SecretFixFacts.ThrowRequiredStatement(message)))
                        .WithTriviaFrom(statement)
                        .WithAdditionalAnnotations(Formatter.Annotation);
                    return new Plan(fallback, statement, check);
                }

                return new Plan(fallback, assignment, SecretFixFacts.CoalesceThrow(assignment.Left, message).WithTriviaFrom(assignment));

            // if (string.IsNullOrEmpty(key)) key = "dev";  →  if (string.IsNullOrEmpty(key)) throw …;
            case FallbackShape.GuardedAssignment when fallback.Node.Syntax.Parent is ExpressionStatementSyntax guarded:
                return new Plan(
                    fallback,
                    guarded,
                    SecretFixFacts.ThrowRequiredStatement(message).WithTriviaFrom(guarded).WithAdditionalAnnotations(Formatter.Annotation));

            default:
                return null;
        }
    }

    private static string Message(SecretFallback fallback)
    {
        var name = fallback.RequiredName;
        return fallback.Read?.Kind switch
        {
            SecretReadKind.Environment when fallback.Read.Key is not null => name + " is required; set the environment variable before starting the application.",
            SecretReadKind.Configuration when fallback.Read.Key is not null => name + " is required; set it in configuration or the environment.",
            _ => name + " is required; no built-in default is used.",
        };
    }

    private static ExpressionSyntax StripSuppression(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = postfix.Operand;
                    continue;
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                default:
                    return expression;
            }
        }
    }

    /// <summary>
    /// <c>GetValue("Jwt:Key", "dev")</c> inferred its type from the default; without it the call
    /// needs <c>GetValue&lt;string&gt;("Jwt:Key")</c>.
    /// </summary>
    private static InvocationExpressionSyntax? ExplicitTypeArguments(InvocationExpressionSyntax call, IMethodSymbol method, SemanticModel model, int position)
    {
        SimpleNameSyntax? name = call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };

        if (name is null)
        {
            return null;
        }

        if (name is GenericNameSyntax)
        {
            return call;
        }

        var arguments = SyntaxFactory.SeparatedList<TypeSyntax>();
        foreach (var typeArgument in method.TypeArguments)
        {
            arguments = arguments.Add(SyntaxFactory.ParseTypeName(typeArgument.ToMinimalDisplayString(model, position)));
        }

        var generic = SyntaxFactory.GenericName(name.Identifier, SyntaxFactory.TypeArgumentList(arguments)).WithTriviaFrom(name);
        return call.ReplaceNode(name, generic);
    }
}
