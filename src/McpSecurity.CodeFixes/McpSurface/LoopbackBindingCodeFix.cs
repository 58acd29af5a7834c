using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.McpSurface;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC603: binds to loopback instead of every interface — <c>ListenAnyIP(p)</c> becomes
/// <c>ListenLocalhost(p)</c> (same overloads), <c>IPAddress.Any</c> / <c>IPv6Any</c> become
/// <c>IPAddress.Loopback</c> / <c>IPv6Loopback</c>, and in URL literals written at the reported place the
/// host <c>0.0.0.0</c> becomes <c>127.0.0.1</c>, <c>[::]</c> becomes <c>[::1]</c>, and <c>*</c>, <c>+</c> or a
/// name become <c>localhost</c> (port, scheme and path kept). Not offered where the value comes from
/// elsewhere (a local, a constant of another member, <c>IPAddress.Parse</c>), nor for CORS: the origins a
/// server should allow are a list only its developer knows.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoopbackBindingCodeFix))]
public sealed class LoopbackBindingCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ListeningOnAllInterfacesOrAnyOrigin + ".Loopback";

    private static readonly char[] HostEnd = [':', '/', ';', '"'];

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ListeningOnAllInterfacesOrAnyOrigin);

    /// <summary>Only diagnostics the analyzer marked with a rewrite: Fix All skips CORS and values from elsewhere.</summary>
    protected override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic)
        => diagnostic.Properties.ContainsKey(NetworkExposureAnalyzer.FixProperty) ? base.FindTarget(root, diagnostic) : null;

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(NetworkExposureAnalyzer.FixProperty, out var kind);
        return Task.FromResult(Rewrite(target, kind) is not null ? Offer("Listen on loopback only", EquivalenceKey) : None);
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        // The kind is not at hand under Fix All's replay: the reported node's shape says which rewrite applies.
        foreach (var kind in new[] { NetworkExposureAnalyzer.FixListenLocalhost, NetworkExposureAnalyzer.FixLoopbackAddress, NetworkExposureAnalyzer.FixLoopbackUrl })
        {
            if (Rewrite(target, kind) is { } replacement)
            {
                return await ReplaceAsync(document, target, replacement, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private static SyntaxNode? Rewrite(SyntaxNode target, string? kind) => kind switch
    {
        NetworkExposureAnalyzer.FixListenLocalhost => ListenLocalhost(target),
        NetworkExposureAnalyzer.FixLoopbackAddress => LoopbackAddress(target),
        NetworkExposureAnalyzer.FixLoopbackUrl => LoopbackUrls(target),
        _ => null,
    };

    /// <summary><c>kestrel.ListenAnyIP(5000)</c> → <c>kestrel.ListenLocalhost(5000)</c>.</summary>
    private static SyntaxNode? ListenLocalhost(SyntaxNode target)
        => target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ListenAnyIP" } access } call
            ? call.WithExpression(access.WithName(SyntaxFactory.IdentifierName("ListenLocalhost").WithTriviaFrom(access.Name)))
            : null;

    /// <summary><c>IPAddress.Any</c> → <c>IPAddress.Loopback</c>, <c>IPv6Any</c> → <c>IPv6Loopback</c>.</summary>
    private static SyntaxNode? LoopbackAddress(SyntaxNode target)
    {
        var name = target switch
        {
            MemberAccessExpressionSyntax access => access.Name as IdentifierNameSyntax,
            IdentifierNameSyntax identifier => identifier,
            _ => null,
        };
        var loopback = name?.Identifier.ValueText switch
        {
            "Any" => "Loopback",
            "IPv6Any" => "IPv6Loopback",
            _ => null,
        };
        if (name is null || loopback is null)
        {
            return null;
        }

        var renamed = SyntaxFactory.IdentifierName(loopback).WithTriviaFrom(name);
        return target is MemberAccessExpressionSyntax member ? member.WithName(renamed) : renamed;
    }

    /// <summary>Every URL literal in <paramref name="target"/> with its all-interfaces host replaced.</summary>
    private static SyntaxNode? LoopbackUrls(SyntaxNode target)
    {
        var changed = false;
        var rewritten = target.ReplaceTokens(
            target.DescendantTokens(),
            (original, _) =>
            {
                if (!original.IsKind(SyntaxKind.StringLiteralToken) && !original.IsKind(SyntaxKind.InterpolatedStringTextToken))
                {
                    return original;
                }

                // The value of a plain literal ends where its text's closing quote is: both end the host.
                var text = LoopbackHosts(original.Text, endEndsHost: false);
                var value = LoopbackHosts(original.ValueText, endEndsHost: original.IsKind(SyntaxKind.StringLiteralToken));
                if (text == original.Text)
                {
                    return original;
                }

                changed = true;
                return SyntaxFactory.Token(original.LeadingTrivia, original.Kind(), text, value, original.TrailingTrivia);
            });
        return changed ? rewritten : null;
    }

    /// <summary>The hosts after each "://" that bind every interface, replaced by their loopback form.</summary>
    internal static string LoopbackHosts(string text, bool endEndsHost)
    {
        var result = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var scheme = text.IndexOf("://", position, System.StringComparison.Ordinal);
            if (scheme < 0)
            {
                break;
            }

            var start = scheme + 3;
            int end;
            if (start < text.Length && text[start] == '[')
            {
                end = text.IndexOf(']', start);
                end = end < 0 ? -1 : end + 1;
            }
            else
            {
                end = text.IndexOfAny(HostEnd, start);
            }

            if (end < 0 && endEndsHost && start <= text.Length)
            {
                end = text.Length;
            }

            if (end < 0)
            {
                // A host cut off at the end of the text (an interpolation follows) is not judged.
                break;
            }

            var host = text.Substring(start, end - start);
            result.Append(text, position, start - position);
            result.Append(ListenUrls.BindsAllInterfaces(host) ? Loopback(host) : host);
            position = end;
        }

        result.Append(text, position, text.Length - position);
        return result.ToString();
    }

    private static string Loopback(string host) => host switch
    {
        "0.0.0.0" => "127.0.0.1",
        _ when host.StartsWith("[", System.StringComparison.Ordinal) => "[::1]",
        _ => "localhost",
    };
}
