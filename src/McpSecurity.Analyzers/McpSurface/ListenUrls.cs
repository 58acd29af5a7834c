using System;
using System.Net;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The hosts of listen URLs (<c>"http://0.0.0.0:5000;https://localhost:5001"</c>) and whether Kestrel
/// binds them on every network interface: <c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>, and any host
/// name other than <c>localhost</c> (Kestrel does not resolve names: anything that is not an IP address
/// or localhost binds all IPv4 and IPv6 addresses). Only text the code fixes is judged: a URL read from
/// configuration, or one whose host is interpolated, is the deployment's choice and is not reported.
/// </summary>
internal static class ListenUrls
{
    private const int MaxDepth = 3;

    private static readonly char[] HostEnd = [':', '/'];

    /// <summary>
    /// The first host in <paramref name="value"/> that binds every interface, or null. Follows constants,
    /// interpolations and concatenations up to their first unknown part, arrays of URLs, and locals
    /// (every value the body assigns them).
    /// </summary>
    public static string? AllInterfacesHost(IOperation? value, IOperation root, int depth = 0)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is null || depth > MaxDepth)
        {
            return null;
        }

        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                {
                    if (AllInterfacesHost(element, root, depth + 1) is { } host)
                    {
                        return host;
                    }
                }

                return null;
            case ILocalReferenceOperation local when !local.Local.IsConst:
                foreach (var assigned in LocalAssignments(local.Local, root))
                {
                    if (AllInterfacesHost(assigned, root, depth + 1) is { } host)
                    {
                        return host;
                    }
                }

                return null;
            default:
                var text = new StringBuilder();
                var complete = KnownPrefix(value, text, 0);
                return AllInterfacesHostIn(text.ToString(), complete);
        }
    }

    /// <summary>The first all-interfaces host among the ';'-separated URLs of <paramref name="urls"/>.</summary>
    /// <param name="complete">False when only a prefix of the value is known: a host cut off at its end is not judged.</param>
    public static string? AllInterfacesHostIn(string urls, bool complete)
    {
        var parts = urls.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var url = parts[i];
            var start = url.IndexOf("://", StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }

            start += 3;
            int end;
            if (start < url.Length && url[start] == '[')
            {
                end = url.IndexOf(']', start);
                end = end < 0 ? -1 : end + 1;
            }
            else
            {
                end = url.IndexOfAny(HostEnd, start);
            }

            if (end < 0)
            {
                if (!complete && i == parts.Length - 1)
                {
                    continue;
                }

                end = url.Length;
            }

            var host = url.Substring(start, end - start).Trim();
            if (BindsAllInterfaces(host))
            {
                return host;
            }
        }

        return null;
    }

    public static bool BindsAllInterfaces(string host)
    {
        if (host.Length == 0 || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (host is "*" or "+")
        {
            return true;
        }

        var address = host.Length > 1 && host[0] == '[' && host[host.Length - 1] == ']' ? host.Substring(1, host.Length - 2) : host;
        if (IPAddress.TryParse(address, out var parsed))
        {
            return parsed.Equals(IPAddress.Any) || parsed.Equals(IPAddress.IPv6Any);
        }

        // A name: Kestrel binds it on every interface. A placeholder that is not a host name is not judged.
        foreach (var c in host)
        {
            if (!(char.IsLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text <paramref name="value"/> starts with; true when that is all of it.</summary>
    private static bool KnownPrefix(IOperation value, StringBuilder text, int depth)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value.ConstantValue is { HasValue: true, Value: string constant })
        {
            text.Append(constant);
            return true;
        }

        if (depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string partText } })
                    {
                        text.Append(partText);
                    }
                    else if (part is IInterpolationOperation { Expression.ConstantValue: { HasValue: true, Value: string inlined } })
                    {
                        text.Append(inlined);
                    }
                    else
                    {
                        return false;
                    }
                }

                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                return KnownPrefix(concatenation.LeftOperand, text, depth + 1)
                    && KnownPrefix(concatenation.RightOperand, text, depth + 1);
            default:
                return false;
        }
    }

    private static System.Collections.Generic.IEnumerable<IOperation> LocalAssignments(ILocalSymbol local, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator
                    when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    yield return initializer.Value;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    yield return assignment.Value;
                    break;
            }
        }
    }
}
