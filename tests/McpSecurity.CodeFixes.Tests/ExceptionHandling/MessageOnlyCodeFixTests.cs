using McpSecurity.CodeFixes.ExceptionHandling;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ExceptionHandling.CatchClauseAnalyzer,
    McpSecurity.CodeFixes.ExceptionHandling.MessageOnlyCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ExceptionHandling;

public class MessageOnlyCodeFixTests
{
    [Fact]
    public Task Passes_the_exception_to_the_logger() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C> logger)
        {
            bool M()
            {
                try { Console.ReadLine(); return true; }
                catch (Exception ex)
                {
                    logger.LogWarning("Read failed: {Message}", {|MCPSEC203:ex.Message|});
                    return false;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C> logger)
        {
            bool M()
            {
                try { Console.ReadLine(); return true; }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Read failed: {Message}", ex.Message);
                    return false;
                }
            }
        }
        """, MessageOnlyCodeFix.EquivalenceKey);

    // Found on a real MCP server: '_logger?.LogDebug(…)' made the fix throw (a member binding
    // bound without its '?.').
    [Fact]
    public Task Passes_the_exception_to_a_logger_called_through_a_null_conditional() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C>? logger)
        {
            bool M(string id) => Stop(id) || Probe(id);

            bool Stop(string id)
            {
                try { Console.ReadLine(); return true; }
                catch (InvalidOperationException ex)
                {
                    logger?.LogDebug("Session {Id} already exited: {Message}",
                        id, {|MCPSEC203:ex.Message|});
                    return false;
                }
            }

            bool Probe(string id)
            {
                try { return id.Length > 0; }
                catch (ArgumentException ex) { return Report(() => logger?.LogWarning("{Message}", {|MCPSEC203:ex.Message|})); }
            }

            static bool Report(Action log) { log(); return false; }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C>? logger)
        {
            bool M(string id) => Stop(id) || Probe(id);

            bool Stop(string id)
            {
                try { Console.ReadLine(); return true; }
                catch (InvalidOperationException ex)
                {
                    logger?.LogDebug(ex, "Session {Id} already exited: {Message}",
                        id, ex.Message);
                    return false;
                }
            }

            bool Probe(string id)
            {
                try { return id.Length > 0; }
                catch (ArgumentException ex) { return Report(() => logger?.LogWarning(ex, "{Message}", ex.Message)); }
            }

            static bool Report(Action log) { log(); return false; }
        }
        """, MessageOnlyCodeFix.EquivalenceKey);

    [Fact]
    public Task Passes_the_exception_to_Log_after_the_level() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            void M()
            {
                try { Console.ReadLine(); }
                catch (InvalidOperationException e)
                {
                    logger.Log(LogLevel.Error, "Read failed: " + {|MCPSEC203:e.Message|});
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            void M()
            {
                try { Console.ReadLine(); }
                catch (InvalidOperationException e)
                {
                    logger.Log(LogLevel.Error, e, "Read failed: " + e.Message);
                }
            }
        }
        """, MessageOnlyCodeFix.EquivalenceKey);

    [Fact]
    public Task Keeps_the_exception_as_inner_exception() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        class C
        {
            void M()
            {
                try { File.ReadAllText("x"); }
                catch (IOException ex) { throw new InvalidOperationException($"Read failed: {{|MCPSEC203:ex.Message|}}"); }
            }
        }
        """, """
        using System;
        using System.IO;
        class C
        {
            void M()
            {
                try { File.ReadAllText("x"); }
                catch (IOException ex) { throw new InvalidOperationException($"Read failed: {ex.Message}", ex); }
            }
        }
        """, MessageOnlyCodeFix.EquivalenceKey);

    [Fact]
    public async Task Offers_no_fix_when_no_overload_takes_the_exception()
    {
        var source = """
            using System;
            class NoInnerException : Exception
            {
                public NoInnerException(string message) : base(message) { }
            }
            class C
            {
                string M()
                {
                    try { Console.ReadLine(); return ""; }
                    catch (Exception ex) { Console.Error.WriteLine({|MCPSEC203:ex.Message|}); return ""; }
                }
                void N()
                {
                    try { Console.ReadLine(); }
                    catch (Exception ex) { throw new NoInnerException({|MCPSEC203:ex.Message|}); }
                }
            }
            """;
        await Verify.VerifyAsync(source, source, MessageOnlyCodeFix.EquivalenceKey);
    }

    [Fact]
    public Task Fix_all_passes_the_exception_in_logger_calls_and_constructors() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C> logger)
        {
            void A()
            {
                try { Console.ReadLine(); }
                catch (Exception ex) { logger.LogError({|MCPSEC203:ex.Message|}); }
            }
            void B()
            {
                try { Console.ReadLine(); }
                catch (ArgumentException ex) { throw new InvalidOperationException({|MCPSEC203:ex.Message|}); }
            }
            void D()
            {
                try { Console.ReadLine(); }
                catch (Exception failure) { logger.LogInformation("failed {Reason}", {|MCPSEC203:failure.Message|}); }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C> logger)
        {
            void A()
            {
                try { Console.ReadLine(); }
                catch (Exception ex) { logger.LogError(ex, ex.Message); }
            }
            void B()
            {
                try { Console.ReadLine(); }
                catch (ArgumentException ex) { throw new InvalidOperationException(ex.Message, ex); }
            }
            void D()
            {
                try { Console.ReadLine(); }
                catch (Exception failure) { logger.LogInformation(failure, "failed {Reason}", failure.Message); }
            }
        }
        """, MessageOnlyCodeFix.EquivalenceKey);
}
