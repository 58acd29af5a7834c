using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>What the conventions of one mapped MCP endpoint say about authorization.</summary>
internal struct EndpointAuthorizationFacts
{
    /// <summary><c>RequireAuthorization(…)</c> or <c>[Authorize]</c>-style metadata on the endpoint or a group it is in.</summary>
    public bool Required;

    /// <summary><c>AllowAnonymous()</c> or <c>[AllowAnonymous]</c>-style metadata: ASP.NET skips authorization whatever else is set.</summary>
    public bool Anonymous;

    /// <summary>The builder went to code of this compilation (a helper taking it) or out of sight (a field): it may add authorization there.</summary>
    public bool HandedOff;
}

/// <summary>
/// Collects the conventions applied to an MCP endpoint: calls chained on <c>MapMcp(...)</c>, calls on
/// a local that holds its builder (<c>var ep = app.MapMcp(); ep.RequireAuthorization("p");</c>), and the
/// same on every route group it is mapped in (<c>app.MapGroup("/x").RequireAuthorization().MapMcp()</c>,
/// or a group local configured in another statement). Conventions apply when the endpoints are built,
/// so statement order does not matter. Bounded: a few locals, a few dozen chain links.
/// </summary>
internal sealed class EndpointAuthorization
{
    private const int MaxLinks = 32;
    private const int MaxLocals = 4;

    private readonly McpEndpointSymbols symbols;
    private readonly IOperation root;
    private readonly HashSet<ILocalSymbol> visitedLocals = new(SymbolEqualityComparer.Default);
    private EndpointAuthorizationFacts facts;

    private EndpointAuthorization(McpEndpointSymbols symbols, IOperation root)
    {
        this.symbols = symbols;
        this.root = root;
    }

    public static EndpointAuthorizationFacts Of(IInvocationOperation mapMcp, McpEndpointSymbols symbols)
    {
        var root = (IOperation)mapMcp;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var walk = new EndpointAuthorization(symbols, root);
        walk.FollowUses(mapMcp, groupMode: false);
        if (mapMcp.Arguments.Length > 0)
        {
            walk.FollowGroups(mapMcp.Arguments[0].Value);
        }

        return walk.facts;
    }

    /// <summary>The calls that take <paramref name="builder"/> (and the builders they return) as their receiver.</summary>
    /// <remarks>
    /// In <paramref name="groupMode"/> the builder is a route group: only calls that return the group
    /// itself are its conventions; 'group.MapMcp("/b").RequireAuthorization()' protects another endpoint,
    /// and 'group.MapGroup("/a").RequireAuthorization()' a nested group.
    /// </remarks>
    private void FollowUses(IOperation builder, bool groupMode)
    {
        var current = builder;
        var groupType = builder.Type;
        var isConventionBuilder = symbols.IsConventionBuilder(builder.Type);
        for (var links = 0; links < MaxLinks; links++)
        {
            var parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call:
                    if (!ReferenceEquals(call.Arguments[0], argument) || !call.TargetMethod.IsExtensionMethod)
                    {
                        // Passed to a helper: 'Secure(endpoint)' may add authorization there.
                        if (!IsFramework(call.TargetMethod) && symbols.IsConventionBuilder(argument.Parameter?.Type))
                        {
                            facts.HandedOff = true;
                        }

                        return;
                    }

                    if (groupMode && (call.TargetMethod.Name == "MapGroup" || !SymbolEqualityComparer.Default.Equals(call.Type, groupType)))
                    {
                        return;
                    }

                    if (!Classify(call))
                    {
                        return;
                    }

                    current = call;
                    break;
                case IInvocationOperation call when ReferenceEquals(call.Instance, current):
                    // 'builder.Add(convention)': a hand-written convention may add any metadata.
                    if (call.TargetMethod.Name == "Add" && isConventionBuilder)
                    {
                        facts.HandedOff = true;
                    }

                    return;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    FollowLocal(declarator.Symbol, groupMode);
                    return;
                case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, current):
                    if (assignment.Target is ILocalReferenceOperation local)
                    {
                        FollowLocal(local.Local, groupMode);
                    }
                    else if (isConventionBuilder)
                    {
                        // A field or property: configured elsewhere.
                        facts.HandedOff = true;
                    }

                    return;
                case IReturnOperation when isConventionBuilder:
                    // The caller of a helper that returns the builder chains the conventions. (Returning
                    // the application itself, 'return app;', says nothing about this endpoint.)
                    facts.HandedOff = true;
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="call"/>, which takes an endpoint builder as its receiver, returns one that
    /// the chain continues on; records what it says about authorization.
    /// </summary>
    private bool Classify(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.AuthorizationConventions))
        {
            if (method.Name == "RequireAuthorization")
            {
                facts.Required = true;
            }
            else if (method.Name == "AllowAnonymous")
            {
                facts.Anonymous = true;
            }
        }
        else if (method.Name == "WithMetadata")
        {
            ClassifyMetadata(call);
        }
        else if (!IsFramework(method) && symbols.IsConventionBuilder(method.Parameters.Length > 0 ? method.Parameters[0].Type : null))
        {
            facts.HandedOff = true;
        }

        return symbols.IsConventionBuilder(call.Type);
    }

    private void ClassifyMetadata(IInvocationOperation call)
    {
        for (var i = 1; i < call.Arguments.Length; i++)
        {
            var value = call.Arguments[i].Value;
            if (value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    ClassifyMetadataItem(element);
                }
            }
            else
            {
                ClassifyMetadataItem(value);
            }
        }
    }

    private void ClassifyMetadataItem(IOperation item)
    {
        while (item is IConversionOperation conversion)
        {
            item = conversion.Operand;
        }

        if (McpEndpointSymbols.Implements(item.Type, symbols.AllowAnonymous))
        {
            facts.Anonymous = true;
        }
        else if (McpEndpointSymbols.Implements(item.Type, symbols.AuthorizeData))
        {
            facts.Required = true;
        }
    }

    /// <summary>Every other use of a local that holds an endpoint (or group) builder.</summary>
    private void FollowLocal(ILocalSymbol local, bool groupMode)
    {
        if (visitedLocals.Count >= MaxLocals || !visitedLocals.Add(local))
        {
            return;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                FollowUses(reference, groupMode);
            }
        }
    }

    /// <summary>
    /// The route builder MapMcp was called on, down to the application: each group on the way and the
    /// conventions applied to it (chained, or on the local that holds it). Authorization on an outer
    /// group covers the groups mapped inside it.
    /// </summary>
    private void FollowGroups(IOperation routeBuilder)
    {
        var value = routeBuilder;
        for (var links = 0; links < MaxLinks; links++)
        {
            while (value is IConversionOperation or IParenthesizedOperation)
            {
                value = value is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)value).Operand;
            }

            switch (value)
            {
                case IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } call:
                    if (call.TargetMethod.Name != "MapGroup")
                    {
                        Classify(call);
                    }

                    value = call.Arguments[0].Value;
                    break;
                case ILocalReferenceOperation reference:
                    if (visitedLocals.Contains(reference.Local))
                    {
                        return;
                    }

                    // 'group.RequireAuthorization();' as a statement of its own, anywhere in the body.
                    FollowLocal(reference.Local, groupMode: true);
                    if (InitializerOf(reference.Local) is not { } initializer)
                    {
                        return;
                    }

                    value = initializer;
                    break;
                default:
                    return;
            }
        }
    }

    private IOperation? InitializerOf(ILocalSymbol local)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IVariableDeclaratorOperation { Initializer: { } initializer } declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                return initializer.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// ASP.NET Core, Microsoft.Extensions and the MCP SDK: their conventions are known (RequireAuthorization,
    /// AllowAnonymous, WithMetadata) or add no authorization (RequireCors, WithName, …). A convention of
    /// any other assembly — the application's own 'RequireMcpScopes()', a library's — may add it.
    /// </summary>
    private static bool IsFramework(IMethodSymbol method)
    {
        var assembly = method.ContainingAssembly?.Name;
        return assembly is not null
            && (assembly.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || assembly.StartsWith("Microsoft.Extensions", StringComparison.Ordinal)
                || assembly.StartsWith("ModelContextProtocol", StringComparison.Ordinal));
    }
}
