using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.Analyzers.Baseline;

/// <summary>
/// The member a finding is in, named like a documentation comment ID (<c>M:Ns.Type.Method(string,int)</c>)
/// but from the syntax as written: a rename of the member is a new finding, an edit to another member
/// is not, and the name does not depend on whether the project's references resolved.
/// </summary>
internal static class EnclosingMember
{
    /// <summary>The innermost member, type or top-level statement around <paramref name="position"/>; null outside any.</summary>
    public static SyntaxNode? Find(SyntaxNode root, int position)
    {
        for (var node = root.FindToken(position).Parent; node is not null; node = node.Parent)
        {
            if (node is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax)
            {
                return node;
            }
        }

        return null;
    }

    public static string IdOf(SyntaxNode? member) => member switch
    {
        null => "N:",
        GlobalStatementSyntax => "M:<top-level statements>",
        BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => "T:" + Qualified(member, TypeName(member)),
        MethodDeclarationSyntax method => "M:" + Qualified(method, Explicit(method.ExplicitInterfaceSpecifier) + method.Identifier.ValueText
            + (method.TypeParameterList is { } types ? "``" + types.Parameters.Count : string.Empty) + Parameters(method.ParameterList)),
        ConstructorDeclarationSyntax constructor => "M:" + Qualified(constructor,
            (constructor.Modifiers.Any(SyntaxKind.StaticKeyword) ? "#cctor" : "#ctor") + Parameters(constructor.ParameterList)),
        DestructorDeclarationSyntax destructor => "M:" + Qualified(destructor, "Finalize"),
        OperatorDeclarationSyntax op => "M:" + Qualified(op, "op_" + op.OperatorToken.ValueText + Parameters(op.ParameterList)),
        ConversionOperatorDeclarationSyntax conversion => "M:" + Qualified(conversion,
            "op_" + conversion.ImplicitOrExplicitKeyword.ValueText + Parameters(conversion.ParameterList) + "~" + Compact(conversion.Type)),
        PropertyDeclarationSyntax property => "P:" + Qualified(property, Explicit(property.ExplicitInterfaceSpecifier) + property.Identifier.ValueText),
        IndexerDeclarationSyntax indexer => "P:" + Qualified(indexer, Explicit(indexer.ExplicitInterfaceSpecifier) + "Item" + Parameters(indexer.ParameterList)),
        EventDeclarationSyntax @event => "E:" + Qualified(@event, Explicit(@event.ExplicitInterfaceSpecifier) + @event.Identifier.ValueText),
        EventFieldDeclarationSyntax eventField => "E:" + Qualified(eventField, Names(eventField.Declaration)),
        FieldDeclarationSyntax field => "F:" + Qualified(field, Names(field.Declaration)),
        EnumMemberDeclarationSyntax enumMember => "F:" + Qualified(enumMember, enumMember.Identifier.ValueText),
        _ => "M:" + Qualified(member, "<member>"),
    };

    private static string Qualified(SyntaxNode member, string name)
    {
        var parts = new StringBuilder(name);
        for (var node = member.Parent; node is not null; node = node.Parent)
        {
            var part = node switch
            {
                BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => TypeName(node),
                BaseNamespaceDeclarationSyntax ns => Compact(ns.Name),
                _ => null,
            };
            if (part is not null)
            {
                parts.Insert(0, part + ".");
            }
        }

        return parts.ToString();
    }

    private static string TypeName(SyntaxNode type) => type switch
    {
        TypeDeclarationSyntax { TypeParameterList: { } types } declaration => declaration.Identifier.ValueText + "`" + types.Parameters.Count,
        BaseTypeDeclarationSyntax declaration => declaration.Identifier.ValueText,
        DelegateDeclarationSyntax { TypeParameterList: { } types } declaration => declaration.Identifier.ValueText + "`" + types.Parameters.Count,
        DelegateDeclarationSyntax declaration => declaration.Identifier.ValueText,
        _ => string.Empty,
    };

    private static string Explicit(ExplicitInterfaceSpecifierSyntax? specifier)
        => specifier is null ? string.Empty : Compact(specifier.Name).Replace('.', '#') + "#";

    /// <summary>All the declarators' names: a field declaration's findings belong to the declaration as a whole.</summary>
    private static string Names(VariableDeclarationSyntax declaration)
        => string.Join(",", declaration.Variables.Select(variable => variable.Identifier.ValueText));

    private static string Parameters(BaseParameterListSyntax list)
        => list.Parameters.Count == 0
            ? string.Empty
            : "(" + string.Join(",", list.Parameters.Select(parameter =>
                (parameter.Type is null ? "?" : Compact(parameter.Type))
                + (parameter.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword)) ? "@" : string.Empty))) + ")";

    /// <summary>The node's text without whitespace or comments: <c>Dictionary&lt;string, int&gt;</c> and <c>Dictionary&lt;string,int&gt;</c> are one type.</summary>
    private static string Compact(SyntaxNode node)
    {
        var text = new StringBuilder();
        foreach (var token in node.DescendantTokens())
        {
            text.Append(token.Text);
        }

        return text.ToString();
    }
}
