using System;
using System.Collections.Immutable;
using McpSecurity.Analyzers.Baseline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// MCPSEC603, in a compilation that serves MCP over HTTP (references ModelContextProtocol.AspNetCore):
/// a listen address that binds every network interface where it reaches Kestrel or the host's URLs —
/// <c>ListenAnyIP</c>, <c>Listen(IPAddress.Any / IPv6Any, …)</c>, and URLs with the host <c>0.0.0.0</c>,
/// <c>[::]</c>, <c>*</c>, <c>+</c> or a name passed to <c>UseUrls</c>, <c>app.Run(url)</c>, <c>app.Urls.Add</c>,
/// <c>UseSetting("urls", …)</c>, <c>Configuration["urls"] = …</c> or <c>ASPNETCORE_URLS</c> set in code — and
/// a CORS policy that allows any origin (<c>AllowAnyOrigin()</c>, <c>WithOrigins("*")</c>,
/// <c>SetIsOriginAllowed(_ => true)</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkExposureAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which rewrite binds the reported code to loopback.</summary>
    internal const string FixProperty = "Fix";

    internal const string FixListenLocalhost = "ListenLocalhost";
    internal const string FixLoopbackAddress = "LoopbackAddress";
    internal const string FixLoopbackUrl = "LoopbackUrl";

    private const string AllInterfaces =
        "binds every network interface, so any host on the network can call the MCP server's tools; listen on loopback (ListenLocalhost, 127.0.0.1, localhost) and let a proxy that authenticates face the network";

    private const string AnyOrigin =
        "allows every origin, so any web page the user opens can call the MCP server from the browser; list the origins that may call it (WithOrigins)";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.ListeningOnAllInterfacesOrAnyOrigin);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Binding 0.0.0.0 is how a container serves any web app; for a server whose tools act for
            // the user it is the exposure. Only compilations that can map an MCP endpoint are checked.
            if (McpEndpointSymbols.TryCreate(start.Compilation) is null)
            {
                return;
            }

            var symbols = new Symbols(start.Compilation);
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, symbols), OperationKind.Invocation);
            start.RegisterOperationAction(operation => AnalyzeAssignment(operation, symbols), OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Symbols symbols)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        switch (method.Name)
        {
            case "ListenAnyIP" when Is(method.ContainingType, symbols.KestrelServerOptions) && !TranslatesConfiguredWildcard(call):
                Report(context, call, AllInterfaces, FixListenLocalhost);
                break;
            case "Listen" when Is(method.ContainingType, symbols.KestrelServerOptions) && call.Arguments.Length > 0 && !TranslatesConfiguredWildcard(call):
                ReportAnyAddress(context, call.Arguments[0].Value, symbols, call);
                break;
            case "UseUrls" when Is(method.ContainingType, symbols.WebHostBuilderExtensions):
                for (var i = 1; i < call.Arguments.Length; i++)
                {
                    // 'UseUrls("http://localhost:5000", "http://*:5001")': each URL on its own.
                    if (call.Arguments[i] is { ArgumentKind: ArgumentKind.ParamArray, Value: IArrayCreationOperation { Initializer: { } urls } })
                    {
                        foreach (var url in urls.ElementValues)
                        {
                            ReportUrl(context, url, call);
                        }
                    }
                    else
                    {
                        ReportUrl(context, call.Arguments[i].Value, call);
                    }
                }

                break;
            case "Run" or "RunAsync" when Is(method.ContainingType, symbols.WebApplication) && call.Arguments.Length > 0:
                ReportUrl(context, call.Arguments[0].Value, call);
                break;
            case "Add" when call.Instance is IPropertyReferenceOperation { Property.Name: "Urls" } urls
                && Is(urls.Property.ContainingType, symbols.WebApplication) && call.Arguments.Length > 0:
                ReportUrl(context, call.Arguments[0].Value, call);
                break;
            case "UseSetting" when McpEndpointSymbols.Implements(method.ContainingType, symbols.WebHostBuilder) && call.Arguments.Length == 2
                && IsKey(call.Arguments[0].Value, "urls"):
                ReportUrl(context, call.Arguments[1].Value, call);
                break;
            case "SetEnvironmentVariable" when Is(method.ContainingType, symbols.Environment) && call.Arguments.Length >= 2
                && (IsKey(call.Arguments[0].Value, "ASPNETCORE_URLS") || IsKey(call.Arguments[0].Value, "DOTNET_URLS")):
                ReportUrl(context, call.Arguments[1].Value, call);
                break;
            case "AllowAnyOrigin" when Is(method.ContainingType, symbols.CorsPolicyBuilder):
                Report(context, call, AnyOrigin, fix: null);
                break;
            case "WithOrigins" when Is(method.ContainingType, symbols.CorsPolicyBuilder) && AnyOriginListed(call):
                Report(context, call, AnyOrigin, fix: null);
                break;
            case "SetIsOriginAllowed" when Is(method.ContainingType, symbols.CorsPolicyBuilder) && call.Arguments.Length == 1
                && AlwaysTrue(call.Arguments[0].Value):
                Report(context, call, AnyOrigin, fix: null);
                break;
        }
    }

    /// <summary><c>builder.Configuration["urls"] = "http://0.0.0.0:5000";</c></summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context, Symbols symbols)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
            && McpEndpointSymbols.Implements(indexer.Property.ContainingType, symbols.Configuration)
            && IsKey(indexer.Arguments[0].Value, "urls"))
        {
            ReportUrl(context, assignment.Value, assignment);
        }
    }

    /// <summary><c>Listen(IPAddress.Any, …)</c>, <c>Listen(new IPEndPoint(IPAddress.IPv6Any, …))</c>, through a local too.</summary>
    private static void ReportAnyAddress(OperationAnalysisContext context, IOperation address, Symbols symbols, IOperation call)
    {
        address = SkipConversions(address);
        if (address is IObjectCreationOperation { Arguments.Length: > 0 } endPoint && Is(endPoint.Type, symbols.IPEndPoint))
        {
            address = SkipConversions(endPoint.Arguments[0].Value);
        }

        // 'var any = IPAddress.Any; kestrel.Listen(any, 5000);' is reported where it is listened on.
        var reported = address;
        if (address is ILocalReferenceOperation local && InitializerOf(local.Local, RootOf(call)) is { } initializer)
        {
            address = SkipConversions(initializer);
        }

        switch (address)
        {
            case IFieldReferenceOperation { Field.Name: "Any" or "IPv6Any" } field when Is(field.Field.ContainingType, symbols.IPAddress):
                Report(context, reported, AllInterfaces, ReferenceEquals(reported, address) ? FixLoopbackAddress : null);
                break;
            case IInvocationOperation { TargetMethod.Name: "Parse", Arguments.Length: 1 } parse
                when Is(parse.TargetMethod.ContainingType, symbols.IPAddress)
                    && parse.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string text }
                    && ListenUrls.BindsAllInterfaces(text.Trim()):
                Report(context, reported, AllInterfaces, fix: null);
                break;
        }
    }

    private static void ReportUrl(OperationAnalysisContext context, IOperation value, IOperation sink)
    {
        if (ListenUrls.AllInterfacesHost(value, RootOf(sink)) is not { } host)
        {
            return;
        }

        var reported = SkipConversions(value);
        var message = "binds every network interface (host '" + host + "'"
            + (host is "*" or "+" || host.IndexOf(':') >= 0 || char.IsDigit(host[0]) ? ")" : ": Kestrel binds a name other than localhost on all addresses)")
            + AllInterfaces.Substring("binds every network interface".Length);
        Report(context, reported, message, FixLoopbackUrl);
    }

    private static void Report(OperationAnalysisContext context, IOperation reported, string explanation, string? fix)
    {
        var properties = fix is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix);
        context.ReportUnlessBaselined(Diagnostic.Create(
            RuleCatalog.ListeningOnAllInterfacesOrAnyOrigin, reported.Syntax.GetLocation(), properties, reported.Syntax.ToString(), explanation));
    }

    /// <summary>
    /// <c>if (host == "0.0.0.0" || host == "*") options.ListenAnyIP(port);</c>: the code turns a host the
    /// deployment configured into Kestrel's call for it, as <c>UseUrls(configuration["urls"])</c> would; the
    /// choice is the operator's, not a literal in the code. A listen call in the branch taken when a value
    /// equals a wildcard host literal is not reported.
    /// </summary>
    private static bool TranslatesConfiguredWildcard(IOperation call)
    {
        var inner = call;
        for (var parent = call.Parent; parent is not null; inner = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && ReferenceEquals(conditional.WhenTrue, inner) && ComparesWithWildcard(conditional.Condition))
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                return false;
            }
        }

        return false;
    }

    private static bool ComparesWithWildcard(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } }
                && text is "0.0.0.0" or "*" or "+" or "::" or "[::]"
                && operation.Parent is IBinaryOperation or IArgumentOperation or IPatternOperation or IConstantPatternOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>WithOrigins("*")</c>: CORS treats a lone "*" origin as any origin.</summary>
    private static bool AnyOriginListed(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            var value = SkipConversions(argument.Value);
            if (value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    if (element.ConstantValue is { HasValue: true, Value: "*" })
                    {
                        return true;
                    }
                }
            }
            else if (value.ConstantValue is { HasValue: true, Value: "*" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>_ => true</c>, <c>origin => { return true; }</c>.</summary>
    private static bool AlwaysTrue(IOperation value)
    {
        value = SkipConversions(value);
        if (value is IDelegateCreationOperation creation)
        {
            value = creation.Target;
        }

        if (value is not IAnonymousFunctionOperation { Body.Operations: { Length: > 0 } operations })
        {
            return false;
        }

        foreach (var operation in operations)
        {
            if (operation is IReturnOperation { ReturnedValue: { } returned })
            {
                return returned.ConstantValue is { HasValue: true, Value: true };
            }
        }

        return false;
    }

    /// <remarks><c>WebHostDefaults.ServerUrlsKey</c> is a static readonly field, not a constant: known by name.</remarks>
    private static bool IsKey(IOperation key, string name)
        => key.ConstantValue is { HasValue: true, Value: string text }
            ? string.Equals(text, name, StringComparison.OrdinalIgnoreCase)
            : name == "urls"
                && SkipConversions(key) is IFieldReferenceOperation { Field: { Name: "ServerUrlsKey", ContainingType: { Name: "WebHostDefaults" } webHostDefaults } }
                && webHostDefaults.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Hosting";

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

    private static IOperation SkipConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static IOperation? InitializerOf(ILocalSymbol local, IOperation root)
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

    private sealed class Symbols
    {
        public Symbols(Compilation compilation)
        {
            KestrelServerOptions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions");
            IPAddress = compilation.GetTypeByMetadataName("System.Net.IPAddress");
            IPEndPoint = compilation.GetTypeByMetadataName("System.Net.IPEndPoint");
            WebHostBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions");
            WebHostBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Hosting.IWebHostBuilder");
            WebApplication = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.WebApplication");
            Environment = compilation.GetTypeByMetadataName("System.Environment");
            Configuration = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfiguration");
            CorsPolicyBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder");
        }

        public INamedTypeSymbol? KestrelServerOptions { get; }

        public INamedTypeSymbol? IPAddress { get; }

        public INamedTypeSymbol? IPEndPoint { get; }

        public INamedTypeSymbol? WebHostBuilderExtensions { get; }

        public INamedTypeSymbol? WebHostBuilder { get; }

        public INamedTypeSymbol? WebApplication { get; }

        public INamedTypeSymbol? Environment { get; }

        public INamedTypeSymbol? Configuration { get; }

        public INamedTypeSymbol? CorsPolicyBuilder { get; }
    }
}
