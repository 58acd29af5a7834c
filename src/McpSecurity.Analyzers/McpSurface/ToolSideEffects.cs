using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// What a tool body does to the world outside the server (MCPSEC610): writes, moves or deletes
/// files and directories, starts a process, sends a modifying HTTP request. Each effect is additive
/// (appends, creates a directory, POSTs) or destructive (overwrites, deletes, moves, starts a process
/// that may do anything, PUT/PATCH/DELETE), the distinction the MCP annotations draw between
/// <c>readOnlyHint</c> and <c>destructiveHint</c>.
/// <para>
/// The tool's own body counts, and the bodies of methods of this compilation it calls, up to
/// <see cref="HelperDepth"/> calls deep (tool → helper → helper), each summarised once per compilation.
/// Calls through interfaces and delegates are not followed. Only constant modes count: a
/// <c>FileMode</c> or <c>HttpMethod</c> the analyzer cannot read is no evidence.
/// </para>
/// </summary>
internal sealed class ToolSideEffects
{
    /// <summary>How many calls deep into the compilation's own methods a tool's effects are looked for.</summary>
    public const int HelperDepth = 2;

    private readonly Compilation compilation;
    private readonly INamedTypeSymbol? file;
    private readonly INamedTypeSymbol? directory;
    private readonly INamedTypeSymbol? fileInfo;
    private readonly INamedTypeSymbol? directoryInfo;
    private readonly INamedTypeSymbol? fileStream;
    private readonly INamedTypeSymbol? streamWriter;
    private readonly INamedTypeSymbol? process;
    private readonly INamedTypeSymbol? httpClient;
    private readonly INamedTypeSymbol? httpClientJson;
    private readonly INamedTypeSymbol? httpRequestMessage;
    private readonly INamedTypeSymbol? httpMethod;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), Lazy<Effects>> helpers = new(HelperKeyComparer.Instance);

    public ToolSideEffects(Compilation compilation)
    {
        this.compilation = compilation;
        file = compilation.GetTypeByMetadataName("System.IO.File");
        directory = compilation.GetTypeByMetadataName("System.IO.Directory");
        fileInfo = compilation.GetTypeByMetadataName("System.IO.FileInfo");
        directoryInfo = compilation.GetTypeByMetadataName("System.IO.DirectoryInfo");
        fileStream = compilation.GetTypeByMetadataName("System.IO.FileStream");
        streamWriter = compilation.GetTypeByMetadataName("System.IO.StreamWriter");
        process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
        httpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        httpClientJson = compilation.GetTypeByMetadataName("System.Net.Http.Json.HttpClientJsonExtensions");
        httpRequestMessage = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestMessage");
        httpMethod = compilation.GetTypeByMetadataName("System.Net.Http.HttpMethod");
    }

    /// <summary>The first effect and the first destructive effect of a body made of <paramref name="blocks"/>.</summary>
    public Effects Find(ImmutableArray<IOperation> blocks, IMethodSymbol owner, CancellationToken cancellationToken)
        => Collect(blocks, owner, HelperDepth, cancellationToken);

    private Effects Collect(ImmutableArray<IOperation> blocks, IMethodSymbol owner, int depth, CancellationToken cancellationToken)
    {
        var effects = default(Effects);
        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var found = operation switch
                {
                    IInvocationOperation invocation => Classify(invocation, blocks) is { Any: not null } direct ? direct : Helper(invocation, owner, depth),
                    IObjectCreationOperation creation => Classify(creation),
                    _ => default(Effects),
                };
                effects = effects.With(found);
                if (effects.Destructive is not null)
                {
                    return effects;
                }
            }
        }

        return effects;
    }

    private Effects Helper(IInvocationOperation invocation, IMethodSymbol owner, int depth)
    {
        var target = invocation.TargetMethod.OriginalDefinition;
        if (depth == 0
            || target.MethodKind != MethodKind.Ordinary
            || SymbolEqualityComparer.Default.Equals(target, owner.OriginalDefinition)
            || target.DeclaringSyntaxReferences.Length != 1)
        {
            return default;
        }

        // Summaries are computed whole (never cancelled midway) so that no caller caches half a result.
        var summary = helpers.GetOrAdd((target, depth - 1), key => new Lazy<Effects>(() => Summarise(key.Method, key.Depth), LazyThreadSafetyMode.PublicationOnly)).Value;
        var name = (target.ContainingType is null ? string.Empty : target.ContainingType.Name + ".") + target.Name;
        return summary.Through("calls '" + name + "', which ");
    }

    private Effects Summarise(IMethodSymbol method, int depth)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        SyntaxNode? body = syntax switch
        {
            BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
            _ => null,
        };
        if (body is null || !compilation.ContainsSyntaxTree(body.SyntaxTree))
        {
            return default;
        }

        // A helper's body lives in another tree than the tool being analysed; its model is asked once
        // per helper and compilation, only for methods an annotated tool calls.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = compilation.GetSemanticModel(body.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(body) is { } operation
            ? Collect(ImmutableArray.Create(operation), method, depth, CancellationToken.None)
            : default;
    }

    private Effects Classify(IInvocationOperation invocation, ImmutableArray<IOperation> blocks)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return default;
        }

        if (Same(type, file))
        {
            return method.Name switch
            {
                "WriteAllText" or "WriteAllTextAsync" or "WriteAllBytes" or "WriteAllBytesAsync" or "WriteAllLines" or "WriteAllLinesAsync"
                    or "Create" or "CreateText" or "OpenWrite" or "SetAttributes" or "Encrypt" or "Decrypt" or "SetUnixFileMode"
                    or "SetCreationTime" or "SetCreationTimeUtc" or "SetLastWriteTime" or "SetLastWriteTimeUtc" or "SetLastAccessTime" or "SetLastAccessTimeUtc"
                    => Effect(invocation, "writes files", destructive: true),
                "AppendAllText" or "AppendAllTextAsync" or "AppendAllLines" or "AppendAllLinesAsync" or "AppendAllBytes" or "AppendAllBytesAsync"
                    or "AppendText" or "CreateSymbolicLink"
                    => Effect(invocation, "writes files", destructive: false),
                "Delete" => Effect(invocation, "deletes files", destructive: true),
                "Move" or "Replace" => Effect(invocation, "moves or replaces files", destructive: true),
                "Copy" => Effect(invocation, "copies files", destructive: Overwrites(invocation.Arguments)),
                "Open" or "OpenHandle" => OpenMode(invocation, invocation.Arguments),
                _ => default,
            };
        }

        if (Same(type, fileInfo))
        {
            return method.Name switch
            {
                "Create" or "CreateText" or "OpenWrite" or "Encrypt" or "Decrypt" => Effect(invocation, "writes files", destructive: true),
                "AppendText" => Effect(invocation, "writes files", destructive: false),
                "Delete" => Effect(invocation, "deletes files", destructive: true),
                "MoveTo" or "Replace" => Effect(invocation, "moves or replaces files", destructive: true),
                "CopyTo" => Effect(invocation, "copies files", destructive: Overwrites(invocation.Arguments)),
                "Open" => OpenMode(invocation, invocation.Arguments),
                _ => default,
            };
        }

        if (Same(type, directory) || Same(type, directoryInfo))
        {
            return method.Name switch
            {
                "CreateDirectory" or "Create" or "CreateSubdirectory" or "CreateSymbolicLink" => Effect(invocation, "creates directories", destructive: false),
                "Delete" => Effect(invocation, "deletes directories", destructive: true),
                "Move" or "MoveTo" => Effect(invocation, "moves directories", destructive: true),
                _ => default,
            };
        }

        // A process may do anything: it counts as destructive, whatever the program.
        if (Same(type, process) && method.Name == "Start")
        {
            return Effect(invocation, "starts a process", destructive: true);
        }

        if (Same(type, httpClient) || Same(type, httpClientJson))
        {
            return method.Name switch
            {
                "PostAsync" or "PostAsJsonAsync" => Http(invocation, "POST"),
                "PutAsync" or "PutAsJsonAsync" => Http(invocation, "PUT"),
                "PatchAsync" or "PatchAsJsonAsync" => Http(invocation, "PATCH"),
                "DeleteAsync" or "DeleteFromJsonAsync" => Http(invocation, "DELETE"),
                "Send" or "SendAsync" when invocation.Arguments.Length > 0 && RequestMethod(invocation.Arguments[0].Value, blocks) is { } verb => Http(invocation, verb),
                _ => default,
            };
        }

        return default;
    }

    private Effects Classify(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        if (creation.Constructor is not { } constructor || type is null)
        {
            return default;
        }

        if (Same(type, fileStream) && constructor.Parameters.Length > 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_String)
        {
            return OpenMode(creation, creation.Arguments);
        }

        // new StreamWriter(path[, append]): a file; over a Stream it writes wherever the stream goes.
        if (Same(type, streamWriter) && constructor.Parameters.Length > 0 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_String)
        {
            var appends = Argument(creation.Arguments, "append") is { ConstantValue: { HasValue: true, Value: true } };
            return Effect(creation, "writes files", destructive: !appends);
        }

        return default;
    }

    /// <summary><c>File.Open</c>, <c>FileInfo.Open</c>, <c>new FileStream</c>: a write only for a constant mode or access that writes.</summary>
    private static Effects OpenMode(IOperation operation, ImmutableArray<IArgumentOperation> arguments)
    {
        if (EnumValue(Argument(arguments, "mode")) is not { } mode)
        {
            return default;
        }

        // FileMode: CreateNew 1, Create 2, Open 3, OpenOrCreate 4, Truncate 5, Append 6. FileAccess: Read 1, Write 2, ReadWrite 3.
        var access = EnumValue(Argument(arguments, "access"));
        var writes = access is 2 or 3 || (access is null && mode != 3);
        if (!writes)
        {
            return default;
        }

        var destructive = mode is 2 or 5 || (mode is 3 or 4 && access is 2 or 3);
        return Effect(operation, "writes files", destructive);
    }

    private static int? EnumValue(IArgumentOperation? argument)
        => argument?.Value.ConstantValue is { HasValue: true, Value: IConvertible value } ? value.ToInt32(CultureInfo.InvariantCulture) : null;

    private static bool Overwrites(ImmutableArray<IArgumentOperation> arguments)
        => Argument(arguments, "overwrite") is { } overwrite && overwrite.ConstantValue is not { HasValue: true, Value: false };

    private Effects Http(IInvocationOperation invocation, string verb)
    {
        var destructive = verb is "PUT" or "PATCH" or "DELETE";
        var name = invocation.TargetMethod.ContainingType is { } type && Same(type, httpClientJson) ? "HttpClient." + invocation.TargetMethod.Name : null;
        return Effect(invocation, "sends an HTTP " + verb + " request", destructive, name);
    }

    /// <summary>The verb of a request message created in place or in a local of the same body, when it is a constant one.</summary>
    private string? RequestMethod(IOperation value, ImmutableArray<IOperation> blocks)
    {
        value = SkipConversions(value);
        if (value is ILocalReferenceOperation local)
        {
            value = LocalInitializer(local.Local, blocks) ?? value;
        }

        if (value is not IObjectCreationOperation creation || !Same(creation.Type, httpRequestMessage))
        {
            return null;
        }

        var verb = Argument(creation.Arguments, "method") is { } argument ? Verb(argument.Value) : null;
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Method" } } assignment)
                {
                    verb = Verb(assignment.Value);
                }
            }
        }

        return verb is null or "GET" or "HEAD" or "OPTIONS" or "TRACE" ? null : verb;
    }

    private string? Verb(IOperation value)
    {
        value = SkipConversions(value);
        if (value is IPropertyReferenceOperation { Property: { IsStatic: true } property } && Same(property.ContainingType, httpMethod))
        {
            return property.Name.ToUpperInvariant();
        }

        if (value is IObjectCreationOperation creation && Same(creation.Type, httpMethod)
            && creation.Arguments.Length == 1 && creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string text })
        {
            return text.ToUpperInvariant();
        }

        return null;
    }

    private static IOperation? LocalInitializer(ILocalSymbol local, ImmutableArray<IOperation> blocks)
    {
        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                if (operation is IVariableDeclaratorOperation declarator
                    && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local)
                    && declarator.Initializer is { } initializer)
                {
                    return SkipConversions(initializer.Value);
                }
            }
        }

        return null;
    }

    private static IArgumentOperation? Argument(ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == parameterName && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument;
            }
        }

        return null;
    }

    private static IOperation SkipConversions(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    private static Effects Effect(IOperation operation, string what, bool destructive, string? apiName = null)
    {
        var api = apiName ?? operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name,
            _ => "new " + operation.Type?.Name,
        };
        var line = operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        var effect = new SideEffect(what + " via " + api + " at line " + line.ToString(CultureInfo.InvariantCulture), destructive);
        return new Effects(effect, destructive ? effect : null);
    }

    private static bool Same(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

    private sealed class HelperKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Depth)>
    {
        public static readonly HelperKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Depth) x, (IMethodSymbol Method, int Depth) y)
            => x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth) key)
            => (SymbolEqualityComparer.Default.GetHashCode(key.Method) * 31) + key.Depth;
    }
}

/// <summary>One thing a tool does to the world, described for a message ("deletes files via File.Delete at line 12").</summary>
internal sealed class SideEffect
{
    public SideEffect(string description, bool destructive)
    {
        Description = description;
        IsDestructive = destructive;
    }

    public string Description { get; }

    public bool IsDestructive { get; }
}

/// <summary>The first effect of a body, and its first destructive one (null when there is none).</summary>
internal readonly struct Effects
{
    public Effects(SideEffect? any, SideEffect? destructive)
    {
        Any = any;
        Destructive = destructive;
    }

    public SideEffect? Any { get; }

    public SideEffect? Destructive { get; }

    public Effects With(Effects other) => new(Any ?? other.Any, Destructive ?? other.Destructive);

    /// <summary>The same effects, reached through a call ("calls 'Store.Save', which writes files …").</summary>
    public Effects Through(string prefix)
    {
        var any = Any is null ? null : new SideEffect(prefix + Any.Description, Any.IsDestructive);
        var destructive = Destructive is null ? null : ReferenceEquals(Destructive, Any) ? any : new SideEffect(prefix + Destructive.Description, true);
        return new Effects(any, destructive);
    }
}
