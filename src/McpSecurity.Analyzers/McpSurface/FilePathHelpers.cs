using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>What a parameter of a helper reaches: the file API, named for a message, and whether it works on directories.</summary>
internal sealed class HelperFileSink
{
    public HelperFileSink(string apiName, bool isDirectory)
    {
        ApiName = apiName;
        IsDirectory = isDirectory;
    }

    public string ApiName { get; }

    public bool IsDirectory { get; }
}

/// <summary>
/// Summaries of the methods of the compilation that tools hand their input to: which string parameters
/// reach the path of a file API there without containment (the same sinks and checks as in a tool,
/// with every string parameter of the helper taken as input). Real servers read files in a service
/// the tool calls (<c>service.ReadNote(path)</c>), where the tool body shows no file API at all. Two
/// calls deep (tool → helper → helper), context-free, computed once per method and compilation and
/// only for a method some tool calls with input; never cancelled midway, so no caller caches a half
/// result. Calls through interfaces or virtual methods without a body here are not followed.
/// </summary>
internal sealed class FilePathHelpers
{
    private const int MaxDepth = 2;
    private static readonly IReadOnlyDictionary<int, HelperFileSink> NoParameters = new Dictionary<int, HelperFileSink>();

    private readonly FilePathSinks sinks;
    private readonly UntrustedInputSources sources;
    private readonly PathContainment containment;

    // One cache per depth: a summary computed with less lookahead (deeper in a chain) is a different fact.
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<IReadOnlyDictionary<int, HelperFileSink>>>[] summaries =
    {
        new(SymbolEqualityComparer.Default), new(SymbolEqualityComparer.Default), new(SymbolEqualityComparer.Default),
    };

    public FilePathHelpers(FilePathSinks sinks, UntrustedInputSources sources, PathContainment containment)
    {
        this.sinks = sinks;
        this.sources = sources;
        this.containment = containment;
    }

    /// <summary>A call that may hand input to a helper: a method declared in this compilation (not a local function) given a string that is not constant.</summary>
    public static bool IsCandidate(IInvocationOperation invocation)
        => invocation.TargetMethod is { MethodKind: MethodKind.Ordinary, DeclaringSyntaxReferences.Length: 1 }
            && invocation.Arguments.Any(a => a.Value.Type?.SpecialType == SpecialType.System_String && !a.Value.ConstantValue.HasValue);

    /// <summary>Parameter ordinal → the file API its value reaches uncontained, for one call's target.</summary>
    public IReadOnlyDictionary<int, HelperFileSink> Summary(IMethodSymbol method) => Summary(method.OriginalDefinition, 0);

    private IReadOnlyDictionary<int, HelperFileSink> Summary(IMethodSymbol method, int depth)
    {
        if (depth > MaxDepth)
        {
            return NoParameters;
        }

        return summaries[depth].GetOrAdd(method, m => new Lazy<IReadOnlyDictionary<int, HelperFileSink>>(() => Compute(m, depth), LazyThreadSafetyMode.PublicationOnly)).Value;
    }

    private IReadOnlyDictionary<int, HelperFileSink> Compute(IMethodSymbol method, int depth)
    {
        // A guard's own file calls serve its check (File.Exists before resolving a link target, seen on a
        // real server's roots validator): a method that checks is a check for its callers, not a helper
        // that opens files. One that only calls a guard is still followed, with that call as its check.
        if (!method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String) || containment.ChecksItself(method)
            || containment.Bind(method) is not { } body)
        {
            return NoParameters;
        }

        var blocks = ImmutableArray.Create(body);
        var found = new List<FilePathSink>();
        var calls = new List<IInvocationOperation>();
        foreach (var operation in body.DescendantsAndSelf())
        {
            sinks.Collect(operation, found);
            if (operation is IInvocationOperation invocation && IsCandidate(invocation)
                && !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method))
            {
                calls.Add(invocation);
            }
        }

        if (found.Count == 0 && calls.Count == 0)
        {
            return NoParameters;
        }

        // Every string parameter is input here: whichever a tool passes its input to.
        var model = sources.ForMethod(
            method, blocks, p => p.Type.SpecialType == SpecialType.System_String && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, method) ? "#" + p.Ordinal : null, CancellationToken.None);
        var checks = containment.ForBody(blocks, method);
        var result = new Dictionary<int, HelperFileSink>();
        foreach (var sink in found)
        {
            if (model.IsUntrusted(sink.Path, out var source) && Ordinal(source) is { } ordinal && !result.ContainsKey(ordinal)
                && !checks.IsContained(sink, model.IsUntrusted))
            {
                result[ordinal] = new HelperFileSink(sink.ApiName, sink.IsDirectory);
            }
        }

        foreach (var call in calls)
        {
            var callee = Summary(call.TargetMethod.OriginalDefinition, depth + 1);
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is { } parameter && callee.TryGetValue(parameter.Ordinal, out var reached)
                    && model.IsUntrusted(argument.Value, out var source) && Ordinal(source) is { } ordinal && !result.ContainsKey(ordinal)
                    && !checks.IsContained(new FilePathSink(call, argument.Value, reached.ApiName, reached.IsDirectory), model.IsUntrusted))
                {
                    result[ordinal] = reached;
                }
            }
        }

        return result.Count == 0 ? NoParameters : result;
    }

    /// <summary>The parameter a source name of this summary's model stands for ("#2"); null for any other source.</summary>
    private static int? Ordinal(string source)
        => source.Length > 1 && source[0] == '#' && int.TryParse(source.Substring(1), out var ordinal) ? ordinal : null;
}
