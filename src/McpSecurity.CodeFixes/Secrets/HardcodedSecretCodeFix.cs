using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;

namespace McpSecurity.CodeFixes.Secrets;

/// <summary>
/// MCPSEC101, two fixes:
/// <list type="bullet">
/// <item>the literal becomes a fail-fast read, <c>Environment.GetEnvironmentVariable("SECRET_KEY") ??
/// throw new InvalidOperationException("SECRET_KEY environment variable is required …")</c>, named
/// after the member in SCREAMING_SNAKE (a <c>const</c> becomes <c>static readonly</c> when nothing
/// needs it constant);</item>
/// <item>for a settings or options property (or field) with a literal default, the default goes
/// and the member becomes <c>required</c>, so every creation must supply it (offered only when
/// C# 11 <c>required</c> is available and every object creation in the solution still compiles).</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HardcodedSecretCodeFix))]
public sealed class HardcodedSecretCodeFix : McpSecurityCodeFix
{
    public const string ReadEnvironmentKey = RuleIdentifiers.HardcodedSecret + ".ReadEnvironment";
    public const string MakeRequiredKey = RuleIdentifiers.HardcodedSecret + ".MakeRequired";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.HardcodedSecret);

    /// <summary>A secret read in a static initializer is also run from the entry point (<see cref="StartupCheck"/>).</summary>
    protected override bool CompletesOutsideDocument => true;

    protected override Task<Solution> CompleteAsync(
        Solution solution, IReadOnlyList<(Document Document, SyntaxNode Target)> fixedTargets, string? equivalenceKey, CancellationToken cancellationToken)
        => equivalenceKey == MakeRequiredKey
            ? Task.FromResult(solution)
            : StartupCheck.AddForAsync(solution, fixedTargets, cancellationToken);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (await SecretFixFacts.CreateAsync(document, target, cancellationToken).ConfigureAwait(false) is not { } facts
            || facts.Destination.Kind != LiteralDestinationKind.SecretNamed)
        {
            return None;
        }

        // Only what the literal's own declaration shows: the searches of the solution (constant uses,
        // object creations) run when an action is chosen, not on every caret move.
        var offers = new List<CodeFixOffer>();
        if (await PlanEnvironmentReadAsync(document, facts, searchSolution: false, cancellationToken).ConfigureAwait(false) is { } variable)
        {
            offers.Add(new("Read '" + variable + "' from the environment and fail when it is missing", ReadEnvironmentKey));
        }

        if (RequiredCandidate(facts, cancellationToken) is not null)
        {
            offers.Add(new("Remove the default and make '" + facts.Destination.Symbol!.Name + "' required", MakeRequiredKey));
        }

        return offers;
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var facts = await SecretFixFacts.CreateAsync(document, target, cancellationToken).ConfigureAwait(false);
        if (facts is null || facts.Destination.Kind != LiteralDestinationKind.SecretNamed)
        {
            return null;
        }

        if (equivalenceKey == MakeRequiredKey)
        {
            return await CanMakeRequiredAsync(document, facts, cancellationToken).ConfigureAwait(false)
                ? await MakeRequiredAsync(document, facts, cancellationToken).ConfigureAwait(false)
                : null;
        }

        var variable = await PlanEnvironmentReadAsync(document, facts, searchSolution: true, cancellationToken).ConfigureAwait(false);
        return variable is null ? null : await ReadEnvironmentAsync(document, facts, variable, cancellationToken).ConfigureAwait(false);
    }

    // ---- Fail-fast environment read -------------------------------------------------------------

    /// <summary>
    /// The environment variable to read, or null when the literal cannot become a run-time read:
    /// not a string, a parameter default or attribute argument (constants only), a constant that
    /// something needs constant, a value in a collection (a user store), or an expression tree.
    /// </summary>
    /// <param name="searchSolution">Whether to search the solution for uses that need a constant
    /// (when the action is chosen); without it a constant only has to be owned by this assembly.</param>
    private static async Task<string?> PlanEnvironmentReadAsync(Document document, SecretFixFacts facts, bool searchSolution, CancellationToken cancellationToken)
    {
        var destination = facts.Destination;
        if (facts.Operation.Type?.SpecialType != SpecialType.System_String
            || destination.SinkKind == SecretSinkKind.ParameterDefault
            || destination.Verb == "holds"
            || facts.Literal.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not null
            || SecretFixFacts.InExpressionTree(facts.Model, facts.Literal, facts.Symbols, cancellationToken))
        {
            return null;
        }

        if (ConstantDeclaration(facts.Literal) is { } constant)
        {
            var symbol = constant switch
            {
                FieldDeclarationSyntax field when field.Declaration.Variables.Count == 1
                    => facts.Model.GetDeclaredSymbol(field.Declaration.Variables[0], cancellationToken),
                LocalDeclarationStatementSyntax local when local.Declaration.Variables.Count == 1
                    => facts.Model.GetDeclaredSymbol(local.Declaration.Variables[0], cancellationToken),
                _ => null,
            };

            // Other assemblies inline a visible constant's value when they compile: turning it into a
            // field would change nothing for them, so only constants the solution fully owns qualify.
            if (symbol is null
                || (symbol is IFieldSymbol && IsVisibleOutsideAssembly(symbol))
                || (searchSolution && await SecretFixFacts.IsUsedAsConstantAsync(symbol, document.Project.Solution, cancellationToken).ConfigureAwait(false)))
            {
                return null;
            }
        }

        return EnvironmentVariableName(destination);
    }

    private static bool IsVisibleOutsideAssembly(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return false;
            }
        }

        return true;
    }

    private static string EnvironmentVariableName(LiteralDestination destination)
    {
        var name = destination.Name ?? "SECRET";
        if (destination.Symbol is IMethodSymbol && name.Length > 3 && name.StartsWith("Get", System.StringComparison.Ordinal) && char.IsUpper(name[3]))
        {
            name = name.Substring(3);
        }

        return SecretNames.ToScreamingSnake(name);
    }

    private static async Task<Document?> ReadEnvironmentAsync(Document document, SecretFixFacts facts, string variable, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var read = SecretFixFacts.CoalesceThrow(
                SecretFixFacts.EnvironmentRead(variable),
                variable + " environment variable is required; set it before starting the application.")
            .WithTriviaFrom(facts.Literal);

        if (ConstantDeclaration(facts.Literal) is not { } constant)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(facts.Literal, read));
        }

        // A constant cannot hold a run-time value: const → static readonly (fields), const → plain (locals).
        SyntaxNode rewritten = constant.ReplaceNode(facts.Literal, read);
        rewritten = rewritten switch
        {
            FieldDeclarationSyntax field => field.WithModifiers(ConstToStaticReadonly(field.Modifiers)),
            LocalDeclarationStatementSyntax local => WithoutConst(local),
            _ => rewritten,
        };

        return document.WithSyntaxRoot(root.ReplaceNode(constant, rewritten));
    }

    private static SyntaxNode? ConstantDeclaration(SyntaxNode literal)
    {
        foreach (var ancestor in literal.Ancestors())
        {
            switch (ancestor)
            {
                case FieldDeclarationSyntax field:
                    return field.Modifiers.Any(SyntaxKind.ConstKeyword) ? field : null;
                case LocalDeclarationStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.ConstKeyword) ? local : null;
                case StatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static SyntaxTokenList ConstToStaticReadonly(SyntaxTokenList modifiers)
    {
        var index = modifiers.IndexOf(SyntaxKind.ConstKeyword);
        var constToken = modifiers[index];
        return modifiers.RemoveAt(index).InsertRange(index, new[]
        {
            SyntaxFactory.Token(constToken.LeadingTrivia, SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
            SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.ReadOnlyKeyword, constToken.TrailingTrivia),
        });
    }

    private static LocalDeclarationStatementSyntax WithoutConst(LocalDeclarationStatementSyntax local)
    {
        var index = local.Modifiers.IndexOf(SyntaxKind.ConstKeyword);
        var leading = local.Modifiers[index].LeadingTrivia;
        var modifiers = local.Modifiers.RemoveAt(index);
        if (index > 0)
        {
            return local.WithModifiers(modifiers);
        }

        return modifiers.Count > 0
            ? local.WithModifiers(modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(leading)))
            : local.WithModifiers(modifiers).WithDeclaration(local.Declaration.WithType(local.Declaration.Type.WithLeadingTrivia(leading)));
    }

    // ---- Remove the default and mark the member required ---------------------------------------

    private static async Task<bool> CanMakeRequiredAsync(Document document, SecretFixFacts facts, CancellationToken cancellationToken)
    {
        if (RequiredCandidate(facts, cancellationToken) is not { } candidate)
        {
            return false;
        }

        var changed = await MakeRequiredAsync(document, facts, cancellationToken).ConfigureAwait(false);
        return changed is not null
            && await CompilesAsBeforeAsync(document, changed, candidate.Member, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Candidate
    {
        public Candidate(ISymbol member, MemberDeclarationSyntax declaration, EqualsValueClauseSyntax initializer)
        {
            Member = member;
            Declaration = declaration;
            Initializer = initializer;
        }

        public ISymbol Member { get; }

        public MemberDeclarationSyntax Declaration { get; }

        public EqualsValueClauseSyntax Initializer { get; }
    }

    /// <summary>
    /// An instance property with a setter or init accessor, or a mutable instance field, of a class,
    /// record or struct, declared with this literal as (part of) its initializer, in C# 11 or later
    /// with the <c>required</c> attributes available.
    /// </summary>
    private static Candidate? RequiredCandidate(SecretFixFacts facts, CancellationToken cancellationToken)
    {
        var destination = facts.Destination;
        if (destination.Verb != "is initialized with"
            || destination.SinkKind is not (SecretSinkKind.Property or SecretSinkKind.Field)
            || facts.Literal.SyntaxTree.Options is not CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp11 }
            || facts.Model.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.RequiredMemberAttribute") is null
            || facts.Model.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute") is null)
        {
            return null;
        }

        var member = destination.Symbol;
        if (member is null || member.IsStatic || member.ContainingType is not { IsStatic: false } type
            || type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || member.IsImplicitlyDeclared)
        {
            return null;
        }

        switch (member)
        {
            case IPropertySymbol { IsRequired: false, IsIndexer: false, ExplicitInterfaceImplementations.Length: 0, SetMethod: { } setter } property
                when AtLeastAsVisibleAs(property.DeclaredAccessibility, type) && AtLeastAsVisibleAs(setter.DeclaredAccessibility, type):
                if (facts.Literal.FirstAncestorOrSelf<PropertyDeclarationSyntax>() is { Initializer: { } propertyInitializer } propertyDeclaration
                    && SymbolEqualityComparer.Default.Equals(facts.Model.GetDeclaredSymbol(propertyDeclaration, cancellationToken), property))
                {
                    return new Candidate(property, propertyDeclaration, propertyInitializer);
                }

                return null;

            case IFieldSymbol { IsRequired: false, IsConst: false, IsReadOnly: false } field when AtLeastAsVisibleAs(field.DeclaredAccessibility, type):
                if (facts.Literal.FirstAncestorOrSelf<FieldDeclarationSyntax>() is { Declaration.Variables: { Count: 1 } variables } fieldDeclaration
                    && variables[0].Initializer is { } fieldInitializer)
                {
                    return new Candidate(field, fieldDeclaration, fieldInitializer);
                }

                return null;

            default:
                return null;
        }
    }

    /// <summary>CS9032: a required member may not be less visible than its type.</summary>
    private static bool AtLeastAsVisibleAs(Accessibility accessibility, INamedTypeSymbol type)
    {
        var needed = Accessibility.Public;
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (Rank(current.DeclaredAccessibility) < Rank(needed))
            {
                needed = current.DeclaredAccessibility;
            }
        }

        return Rank(accessibility) >= Rank(needed);
    }

    private static int Rank(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => 5,
        Accessibility.ProtectedOrInternal => 4,
        Accessibility.Internal or Accessibility.Protected => 3,
        Accessibility.ProtectedAndInternal => 2,
        _ => 1,
    };

    private static async Task<Document?> MakeRequiredAsync(Document document, SecretFixFacts facts, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || RequiredCandidate(facts, cancellationToken) is not { } candidate)
        {
            return null;
        }

        MemberDeclarationSyntax rewritten;
        switch (candidate.Declaration)
        {
            case PropertyDeclarationSyntax { AccessorList: { } accessors } property:
                rewritten = property
                    .WithInitializer(null)
                    .WithSemicolonToken(default)
                    .WithAccessorList(accessors.WithTrailingTrivia(property.SemicolonToken.TrailingTrivia));
                break;

            case FieldDeclarationSyntax field:
                var declarator = field.Declaration.Variables[0];
                rewritten = field.ReplaceNode(declarator, declarator.WithInitializer(null).WithIdentifier(declarator.Identifier.WithoutTrivia()));
                break;

            default:
                return null;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(candidate.Declaration, AddRequired(rewritten)));
    }

    /// <summary>Adds <c>required</c> after the other modifiers (<c>public required string SecretKey</c>).</summary>
    private static MemberDeclarationSyntax AddRequired(MemberDeclarationSyntax member)
    {
        var required = SyntaxFactory.Token(SyntaxKind.RequiredKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (member.Modifiers.Count > 0)
        {
            return member.WithModifiers(member.Modifiers.Add(required));
        }

        var leading = member.GetLeadingTrivia();
        return member.WithoutLeadingTrivia().WithModifiers(SyntaxFactory.TokenList(required.WithLeadingTrivia(leading)));
    }

    /// <summary>
    /// Whether the change keeps the solution compiling: every document that creates the type (or a
    /// type derived from it), and the changed document, has no more errors than before. This is where
    /// a <c>new AuthSettings()</c> without the member, a constructor that sets it, or a <c>new()</c>
    /// constraint would break (CS9035, CS9040).
    /// </summary>
    private static async Task<bool> CompilesAsBeforeAsync(Document before, Document after, ISymbol member, CancellationToken cancellationToken)
    {
        var solution = before.Project.Solution;
        var symbols = new List<ISymbol>();
        var type = member.ContainingType;
        symbols.Add(type);
        symbols.AddRange(type.InstanceConstructors);
        if (type.TypeKind == TypeKind.Class)
        {
            foreach (var derived in await SymbolFinder.FindDerivedClassesAsync(type, solution, transitive: true, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                symbols.Add(derived);
                symbols.AddRange(derived.InstanceConstructors);
            }
        }

        var documents = new HashSet<DocumentId> { before.Id };
        foreach (var symbol in symbols)
        {
            foreach (var reference in await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false))
            {
                foreach (var location in reference.Locations)
                {
                    documents.Add(location.Document.Id);
                }
            }
        }

        var changedSolution = after.Project.Solution;
        foreach (var id in documents)
        {
            if (await ErrorCountAsync(changedSolution.GetDocument(id), cancellationToken).ConfigureAwait(false)
                > await ErrorCountAsync(solution.GetDocument(id), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<int> ErrorCountAsync(Document? document, CancellationToken cancellationToken)
    {
        if (document is null || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return int.MaxValue;
        }

        return model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
    }
}
