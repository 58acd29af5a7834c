using System;
using System.Threading;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>The types MCPSEC604 matches, resolved once per compilation.</summary>
internal sealed class StdioSymbols
{
    private StdioSymbols(Compilation compilation, INamedTypeSymbol console)
    {
        Console = console;
        TextWriter = compilation.GetTypeByMetadataName("System.IO.TextWriter");
        SdkBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.McpServerBuilderExtensions");
        StdioServerTransport = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.StdioServerTransport");
        StreamServerTransport = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.StreamServerTransport");
        ConsoleLoggerOptions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions");
        ConsoleLoggerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ConsoleLoggerExtensions");
        Host = compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.Host");
        WebApplication = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.WebApplication");
        ParseResult = compilation.GetTypeByMetadataName("System.CommandLine.ParseResult");
        InvocationContext = compilation.GetTypeByMetadataName("System.CommandLine.Invocation.InvocationContext");
        CommandLineAction = compilation.GetTypeByMetadataName("System.CommandLine.Invocation.CommandLineAction");
    }

    public INamedTypeSymbol Console { get; }

    public INamedTypeSymbol? TextWriter { get; }

    public INamedTypeSymbol? SdkBuilderExtensions { get; }

    public INamedTypeSymbol? StdioServerTransport { get; }

    public INamedTypeSymbol? StreamServerTransport { get; }

    public INamedTypeSymbol? ConsoleLoggerOptions { get; }

    public INamedTypeSymbol? ConsoleLoggerExtensions { get; }

    public INamedTypeSymbol? Host { get; }

    public INamedTypeSymbol? WebApplication { get; }

    /// <summary>System.CommandLine's parse result: a lambda or method taking it is a command's action.</summary>
    public INamedTypeSymbol? ParseResult { get; }

    /// <summary>The same for System.CommandLine's 2.0 betas (<c>SetHandler(InvocationContext …)</c>).</summary>
    public INamedTypeSymbol? InvocationContext { get; }

    /// <summary>System.CommandLine's base of custom actions (a help or version action): its members print a command's output.</summary>
    public INamedTypeSymbol? CommandLineAction { get; }

    /// <summary>Null when the compilation cannot be an MCP stdio server: no <c>System.Console</c> or no MCP SDK referenced.</summary>
    public static StdioSymbols? Create(Compilation compilation)
    {
        var console = compilation.GetTypeByMetadataName("System.Console");
        if (console is null)
        {
            return null;
        }

        var symbols = new StdioSymbols(compilation, console);
        return symbols.SdkBuilderExtensions is null && symbols.StdioServerTransport is null && symbols.StreamServerTransport is null
            ? null
            : symbols;
    }

    public bool IsConsole(INamedTypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Console);

    public bool IsSdkBuilderExtension(IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType, SdkBuilderExtensions);

    public bool IsConsoleLoggerOptions(INamedTypeSymbol? type) => ConsoleLoggerOptions is not null && type.DerivesFrom(ConsoleLoggerOptions);

    public bool IsConsoleLoggerExtension(IMethodSymbol method)
        => IsConsoleLoggerExtensionName(method.Name)
            && SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType, ConsoleLoggerExtensions);

    public static bool IsConsoleLoggerExtensionName(string name)
        => name is "AddConsole" or "AddSimpleConsole" or "AddJsonConsole" or "AddSystemdConsole";

    /// <summary>The host builders that add a console logger by default.</summary>
    public bool IsDefaultHostBuilder(IMethodSymbol method)
        => method.IsStatic
            && ((method.Name is "CreateApplicationBuilder" or "CreateDefaultBuilder" && SymbolEqualityComparer.Default.Equals(method.ContainingType, Host))
                || (method.Name is "CreateBuilder" or "CreateSlimBuilder" && SymbolEqualityComparer.Default.Equals(method.ContainingType, WebApplication)));

    /// <summary>Whether <paramref name="name"/> (the <c>OpenStandardOutput</c> of a call) is the output stream handed to the SDK's stream transport.</summary>
    public bool IsTransportStream(SyntaxNode name, SemanticModel model, CancellationToken cancellationToken)
    {
        return CallOf(name) is { } call && model.GetOperation(call, cancellationToken) is { } operation && IsTransportStream(operation);
    }

    /// <summary>The invocation whose method <paramref name="name"/> names: <c>Console.X()</c> or, under <c>using static</c>, <c>X()</c>.</summary>
    private static InvocationExpressionSyntax? CallOf(SyntaxNode name)
        => name.Parent is MemberAccessExpressionSyntax access && access.Name == name
            ? access.Parent as InvocationExpressionSyntax
            : name.Parent as InvocationExpressionSyntax;

    /// <summary>Whether <paramref name="name"/> (the <c>SetOut</c> of a call) is <c>Console.SetOut(Console.Error)</c>.</summary>
    public bool RedirectsToStandardError(SyntaxNode name, SemanticModel model, CancellationToken cancellationToken)
    {
        return CallOf(name) is { } call
            && model.GetOperation(call, cancellationToken) is IInvocationOperation { Arguments.Length: 1 } setOut
            && setOut.Arguments[0].Value is IPropertyReferenceOperation { Property.Name: "Error" } error
            && IsConsole(error.Property.ContainingType);
    }

    /// <summary><c>WithStreamServerTransport(input, Console.OpenStandardOutput())</c> or <c>new StreamServerTransport(input, Console.OpenStandardOutput())</c>.</summary>
    public bool IsTransportStream(IOperation openCall)
    {
        var parent = openCall.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: { } receiver }
            && receiver switch
            {
                IInvocationOperation invocation => invocation.TargetMethod.Name == "WithStreamServerTransport" && IsSdkBuilderExtension(invocation.TargetMethod),
                IObjectCreationOperation creation => StreamServerTransport is not null && SymbolEqualityComparer.Default.Equals(creation.Type, StreamServerTransport),
                _ => false,
            };
    }

    /// <summary>
    /// Whether <paramref name="operation"/> sits in a System.CommandLine command action (a
    /// lambda or method taking its parse result): output of a CLI command that runs instead of the
    /// server, such as <c>mytool list</c> in a tool whose <c>serve</c> command runs the stdio server,
    /// or any member of a custom System.CommandLine action type.
    /// </summary>
    public bool IsInCommandLineAction(IOperation operation, ISymbol? containingSymbol)
    {
        if (ParseResult is null && InvocationContext is null)
        {
            return false;
        }

        // A custom action's helpers (CustomHelpAction.Invoke → RenderHelp) print for the action too.
        if (CommandLineAction is not null && containingSymbol?.ContainingType.DerivesFrom(CommandLineAction) == true)
        {
            return true;
        }

        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && TakesCommandLineResult(lambda.Symbol))
            {
                return true;
            }
        }

        return containingSymbol is IMethodSymbol method && TakesCommandLineResult(method);
    }

    private bool TakesCommandLineResult(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, ParseResult) || SymbolEqualityComparer.Default.Equals(parameter.Type, InvocationContext))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsWriteMethod(IMethodSymbol method)
        => method.Name.StartsWith("Write", StringComparison.Ordinal);
}
