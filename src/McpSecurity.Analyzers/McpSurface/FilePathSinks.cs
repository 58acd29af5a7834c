using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>One path argument of a file-system call: the call, the argument's value and whether the call works on directories.</summary>
internal readonly struct FilePathSink
{
    public FilePathSink(IOperation call, IOperation path, string apiName, bool isDirectory)
    {
        Call = call;
        Path = path;
        ApiName = apiName;
        IsDirectory = isDirectory;
    }

    public IOperation Call { get; }

    public IOperation Path { get; }

    /// <summary>"File.ReadAllText", "new FileStream": how a message names the API.</summary>
    public string ApiName { get; }

    /// <summary>A directory API: '..' as a last segment names a directory there, so a file name alone is no containment.</summary>
    public bool IsDirectory { get; }
}

/// <summary>
/// The file-system APIs whose string arguments are paths, resolved once per compilation: the static
/// <c>File</c>, <c>Directory</c> and <c>ZipFile</c> methods, the constructors of <c>FileStream</c>,
/// <c>FileInfo</c>, <c>DirectoryInfo</c>, <c>StreamReader</c> and <c>StreamWriter</c>, the
/// <c>CopyTo</c>/<c>MoveTo</c>/<c>Replace</c>/<c>CreateSubdirectory</c> of <c>FileInfo</c> and
/// <c>DirectoryInfo</c>, and the zip archive extraction extensions. A path argument is a string
/// parameter named like a path (<c>path</c>, <c>sourceFileName</c>, <c>destDirName</c>,
/// <c>archiveFileName</c>, …): contents, search patterns and encodings are not.
/// </summary>
internal sealed class FilePathSinks
{
    private readonly ImmutableHashSet<INamedTypeSymbol> staticTypes;
    private readonly ImmutableHashSet<INamedTypeSymbol> constructedTypes;
    private readonly ImmutableHashSet<INamedTypeSymbol> instanceTypes;
    private readonly ImmutableHashSet<INamedTypeSymbol> directoryTypes;

    private FilePathSinks(Compilation compilation)
    {
        staticTypes = Resolve(compilation, "System.IO.File", "System.IO.Directory", "System.IO.Compression.ZipFile", "System.IO.Compression.ZipFileExtensions");
        constructedTypes = Resolve(compilation, "System.IO.FileStream", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.StreamReader", "System.IO.StreamWriter");
        instanceTypes = Resolve(compilation, "System.IO.FileInfo", "System.IO.DirectoryInfo");
        directoryTypes = Resolve(compilation, "System.IO.Directory", "System.IO.DirectoryInfo");
    }

    /// <summary>Null when the compilation has no file-system API at all (nothing to report).</summary>
    public static FilePathSinks? Create(Compilation compilation)
    {
        var sinks = new FilePathSinks(compilation);
        return sinks.staticTypes.IsEmpty && sinks.constructedTypes.IsEmpty ? null : sinks;
    }

    /// <summary>Whether an operation may be a sink (cheap, for the per-body gate).</summary>
    public bool IsCandidate(IOperation operation)
        => operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod.ContainingType is { } type
                && (invocation.TargetMethod.IsStatic ? staticTypes.Contains(type) : instanceTypes.Contains(type)),
            IObjectCreationOperation creation => creation.Type is INamedTypeSymbol type && constructedTypes.Contains(type),
            _ => false,
        };

    /// <summary>The path arguments of a sink call or creation; empty for anything else.</summary>
    public void Collect(IOperation operation, List<FilePathSink> sinks)
    {
        if (!IsCandidate(operation))
        {
            return;
        }

        ImmutableArray<IArgumentOperation> arguments;
        INamedTypeSymbol type;
        string apiName;
        switch (operation)
        {
            case IInvocationOperation invocation:
                arguments = invocation.Arguments;
                type = invocation.TargetMethod.ContainingType;
                apiName = type.Name + "." + invocation.TargetMethod.Name;
                break;
            case IObjectCreationOperation { Type: INamedTypeSymbol created } creation:
                // new FileInfo(input).FullName resolves a path without touching the disk: a way to normalise, not an access.
                if (creation.Parent is IPropertyReferenceOperation { Property.Name: "FullName" or "Name" or "Extension" })
                {
                    return;
                }

                arguments = creation.Arguments;
                type = created;
                apiName = "new " + created.Name;
                break;
            default:
                return;
        }

        var isDirectory = directoryTypes.Contains(type);
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && argument.Parameter is { Type.SpecialType: SpecialType.System_String } parameter
                && IsPathParameterName(parameter.Name))
            {
                // ZipFile.ExtractToDirectory(archive, destinationDirectoryName): the destination is a directory.
                var directory = isDirectory || parameter.Name.IndexOf("Directory", StringComparison.OrdinalIgnoreCase) >= 0
                    || parameter.Name.IndexOf("DirName", StringComparison.OrdinalIgnoreCase) >= 0;
                sinks.Add(new FilePathSink(operation, argument.Value, apiName, directory));
            }
        }
    }

    private static bool IsPathParameterName(string name)
        => name.IndexOf("path", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("FileName", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("DirName", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("DirectoryName", StringComparison.OrdinalIgnoreCase) >= 0;

    private static ImmutableHashSet<INamedTypeSymbol> Resolve(Compilation compilation, params string[] names)
    {
        var builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in names)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
