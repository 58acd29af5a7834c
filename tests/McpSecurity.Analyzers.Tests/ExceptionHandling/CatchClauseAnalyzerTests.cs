using McpSecurity.Analyzers.ExceptionHandling;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.ExceptionHandling.CatchClauseAnalyzer>;

namespace McpSecurity.Analyzers.Tests.ExceptionHandling;

public class CatchClauseAnalyzerTests
{
    // ---- MCPSEC201: bare catch -------------------------------------------------------------------

    [Fact]
    public Task Flags_empty_bare_catch() => Verify.VerifyAsync("""
        class C
        {
            void M()
            {
                try { System.IO.File.Delete("x"); }
                {|MCPSEC201:catch|} { }
            }
        }
        """);

    [Fact]
    public Task Flags_bare_catch_returning_null() => Verify.VerifyAsync("""
        class C
        {
            string? Read(string path)
            {
                try { return System.IO.File.ReadAllText(path); }
                {|MCPSEC201:catch|} { return null; }
            }
        }
        """);

    [Fact]
    public Task Flags_bare_catch_that_throws_a_new_exception_losing_the_original() => Verify.VerifyAsync("""
        using System;
        class C
        {
            void M()
            {
                try { Console.WriteLine(); }
                {|MCPSEC201:catch|} { throw new InvalidOperationException("failed"); }
            }
        }
        """);

    [Fact]
    public Task Flags_bare_catch_with_filter() => Verify.VerifyAsync("""
        class C
        {
            bool retry;
            void M()
            {
                try { System.Console.WriteLine(); }
                {|MCPSEC201:catch|} when (retry) { }
            }
        }
        """);

    [Fact]
    public Task Flags_bare_catch_that_rethrows_on_one_path_only() => Verify.VerifyAsync("""
        class C
        {
            int M(bool strict)
            {
                try { return int.Parse("x"); }
                {|MCPSEC201:catch|}
                {
                    if (strict) throw;
                    return -1;
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_bare_catch_that_cleans_up_and_rethrows() => Verify.VerifyAsync("""
        class C
        {
            void Cleanup() { }
            void M()
            {
                try { System.Console.WriteLine(); }
                catch { Cleanup(); throw; }
            }
        }
        """);

    [Fact]
    public Task Ignores_rethrow_after_nested_try_in_bare_catch() => Verify.VerifyAsync("""
        class C
        {
            void M()
            {
                try { System.Console.WriteLine(); }
                catch
                {
                    try { System.IO.File.Delete("tmp"); }
                    catch (System.IO.IOException) { }
                    throw;
                }
            }
        }
        """);

    [Fact]
    public async Task Message_names_the_enclosing_local_function()
    {
        var test = Verify.CreateTest("""
            class C
            {
                void M()
                {
                    Load();

                    void Load()
                    {
                        try { System.Console.WriteLine(); }
                        {|#0:catch|} { }
                    }
                }
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.BareCatchClause).WithLocation(0).WithArguments("Load"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Message_names_the_method_that_declares_the_lambda()
    {
        var test = Verify.CreateTest("""
            using System;
            class C
            {
                void Register()
                {
                    Action handler = () =>
                    {
                        try { Console.WriteLine(); }
                        {|#0:catch|} { }
                    };
                    handler();
                }
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleCatalog.BareCatchClause).WithLocation(0).WithArguments("Register"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_bare_catch_in_async_method_and_top_level_statements()
    {
        var test = Verify.CreateTest("""
            using System.Threading.Tasks;

            try { await Task.Delay(1); }
            {|MCPSEC201:catch|} { }

            static class Worker
            {
                public static async Task<string?> RunAsync()
                {
                    try { await Task.Delay(1); return "ok"; }
                    {|MCPSEC201:catch|} { return null; }
                }
            }
            """);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    // ---- MCPSEC202: catch-all that swallows --------------------------------------------------------

    [Fact]
    public Task Flags_catch_exception_returning_false() => Verify.VerifyAsync("""
        using System;
        class C
        {
            bool TrySend(string to)
            {
                try { Send(to); return true; }
                {|MCPSEC202:catch (Exception ex)|} { return false; }
            }
            void Send(string to) { }
        }
        """);

    [Fact]
    public Task Flags_catch_exception_without_variable_returning_null() => Verify.VerifyAsync("""
        using System;
        class C
        {
            object? Analyze(string email)
            {
                try { return email.Split('@')[1]; }
                {|MCPSEC202:catch (Exception)|} { return null; }
            }
        }
        """);

    [Fact]
    public Task Flags_catch_system_exception_and_fully_qualified_exception() => Verify.VerifyAsync("""
        class C
        {
            void M()
            {
                try { System.Console.WriteLine(); }
                {|MCPSEC202:catch (System.SystemException)|} { }
                try { System.Console.WriteLine(); }
                {|MCPSEC202:catch (System.Exception e)|} { }
            }
        }
        """);

    [Fact]
    public Task Flags_handler_that_continues_a_loop() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        class C
        {
            List<int> ParseAll(IEnumerable<string> items)
            {
                var result = new List<int>();
                foreach (var item in items)
                {
                    try { result.Add(int.Parse(item)); }
                    {|MCPSEC202:catch (Exception)|} { continue; }
                }
                return result;
            }
        }
        """);

    [Fact]
    public Task Flags_handler_that_breaks_out_of_a_loop() => Verify.VerifyAsync("""
        using System;
        class C
        {
            void Poll()
            {
                while (true)
                {
                    try { Console.ReadLine(); }
                    {|MCPSEC202:catch (Exception)|} { break; }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_handler_in_lambda_and_local_function() => Verify.VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            Task<string?> M()
            {
                Func<string?> read = () =>
                {
                    try { return Console.ReadLine(); }
                    {|MCPSEC202:catch (Exception)|} { return null; }
                };
                return Local();

                async Task<string?> Local()
                {
                    try { await Task.Delay(1); return read(); }
                    {|MCPSEC202:catch (Exception)|} { return default; }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_outer_and_inner_handlers_of_nested_try_separately() => Verify.VerifyAsync("""
        using System;
        class C
        {
            int M()
            {
                try
                {
                    try { return int.Parse("1"); }
                    {|MCPSEC202:catch (Exception)|} { return 0; }
                }
                {|MCPSEC202:catch (Exception)|} { return -1; }
            }
        }
        """);

    [Fact]
    public Task Flags_handler_that_only_tests_the_exception() => Verify.VerifyAsync("""
        using System;
        class C
        {
            string? M()
            {
                try { return Console.ReadLine(); }
                {|MCPSEC202:catch (Exception ex)|}
                {
                    if (ex is TimeoutException || ex.Message.Contains("timeout")) return null;
                    return string.Empty;
                }
            }
        }
        """);

    [Fact]
    public Task Flags_handler_that_discards_the_exception() => Verify.VerifyAsync("""
        using System;
        class C
        {
            void M()
            {
                try { Console.ReadLine(); }
                {|MCPSEC202:catch (Exception ex)|} { _ = ex; }
            }
        }
        """);

    [Fact]
    public Task Ignores_handler_that_logs_the_exception_and_returns_an_error_result() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger<C> logger;
            C(ILogger<C> logger) => this.logger = logger;
            object ErrorResult() => new object();
            object M()
            {
                try { return Console.ReadLine()!; }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Reading failed");
                    return ErrorResult();
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_filtered_catch_all() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        class C
        {
            bool M()
            {
                try { File.Delete("x"); return true; }
                catch (Exception ex) when (ex is IOException) { return false; }
            }
        }
        """);

    [Fact]
    public Task Ignores_specific_exception_types() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            bool M()
            {
                try { File.Delete("x"); return true; }
                catch (IOException) { return false; }
                catch (System.UnauthorizedAccessException) { return false; }
            }
        }
        """);

    [Fact]
    public Task Ignores_handler_that_wraps_in_a_tool_exception() => Verify.VerifyAsync("""
        using System;
        class ToolException : Exception
        {
            public ToolException(string message, Exception inner) : base(message, inner) { }
        }
        class C
        {
            void M()
            {
                try { Console.ReadLine(); }
                catch (Exception ex) { throw new ToolException("Reading failed", ex); }
            }
        }
        """);

    [Fact]
    public Task Ignores_handler_that_rethrows_or_throws_on_every_path() => Verify.VerifyAsync("""
        using System;
        class C
        {
            void M(bool wrap)
            {
                try { Console.ReadLine(); }
                catch (Exception)
                {
                    if (wrap) throw new InvalidOperationException("failed");
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_handler_that_stores_or_returns_the_exception() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        class C
        {
            private Exception? last;
            private readonly List<Exception> errors = new();
            Exception? Capture()
            {
                try { Console.ReadLine(); return null; }
                catch (Exception ex) { return ex; }
            }
            void Store()
            {
                try { Console.ReadLine(); }
                catch (Exception ex) { last = ex; }
                try { Console.ReadLine(); }
                catch (Exception ex) { errors.Add(ex); }
            }
        }
        """);

    [Fact]
    public Task Ignores_exception_passed_to_any_logger_or_reporter() => Verify.VerifyAsync("""
        using System;
        static class Reporter { public static void Capture(Exception e, string tool) { } }
        class C
        {
            int Main2()
            {
                try { Console.ReadLine(); return 0; }
                catch (Exception ex) { Console.Error.WriteLine(ex); return 1; }
            }
            void M()
            {
                try { Console.ReadLine(); }
                catch (Exception ex) { Reporter.Capture(ex.GetBaseException(), "email_analyze"); }
                try { Console.ReadLine(); }
                catch (Exception ex) { Console.Error.WriteLine($"failed: {ex}"); }
                try { Console.ReadLine(); }
                catch (Exception ex) { Console.Error.WriteLine(ex.ToString()); }
            }
        }
        """);

    [Fact]
    public Task Ignores_handlers_that_end_the_process_or_call_a_does_not_return_helper() => Verify.VerifyAsync("""
        using System;
        using System.Diagnostics.CodeAnalysis;
        static class Throw
        {
            [DoesNotReturn]
            public static void Failure(string message) => throw new InvalidOperationException(message);
        }
        class C
        {
            void M()
            {
                try { Console.ReadLine(); }
                catch (Exception) { Console.Error.WriteLine("fatal"); Environment.Exit(1); }
                try { Console.ReadLine(); }
                catch { Environment.FailFast("corrupt state"); }
                try { Console.ReadLine(); }
                catch (Exception) { Throw.Failure("read failed"); }
            }
        }
        """);

    [Fact]
    public Task Flags_handler_whose_does_not_return_call_is_not_on_every_path() => Verify.VerifyAsync("""
        using System;
        class C
        {
            void M(bool fatal)
            {
                try { Console.ReadLine(); }
                {|MCPSEC202:catch (Exception)|}
                {
                    if (fatal) Environment.Exit(1);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_handler_that_logs_a_constant_message_without_the_exception() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C> logger)
        {
            object? M()
            {
                try { return Console.ReadLine(); }
                {|MCPSEC202:catch (Exception ex)|}
                {
                    logger.LogError("Reading failed");
                    return null;
                }
            }
        }
        """);

    // ---- MCPSEC203: reported only through Message --------------------------------------------------

    [Fact]
    public Task Flags_message_only_logging() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger logger;
            C(ILogger logger) => this.logger = logger;
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
        """);

    [Fact]
    public Task Flags_message_only_wrapping_and_interpolation() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        class C
        {
            void M()
            {
                try { File.ReadAllText("x"); }
                catch (IOException ex) { throw new InvalidOperationException("Read failed: " + {|MCPSEC203:ex.Message|}); }
            }
            string N()
            {
                try { return File.ReadAllText("x"); }
                catch (Exception e) { return $"Error: {{|MCPSEC203:e.Message|}}"; }
            }
        }
        """);

    [Fact]
    public Task Flags_message_of_the_inner_exception() => Verify.VerifyAsync("""
        using System;
        class C
        {
            void M()
            {
                try { Console.ReadLine(); }
                catch (AggregateException ex) { Console.Error.WriteLine({|MCPSEC203:ex.InnerException!.Message|}); }
            }
        }
        """);

    [Fact]
    public Task Ignores_message_when_the_exception_is_also_passed_or_rethrown() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger logger;
            C(ILogger logger) => this.logger = logger;
            void M()
            {
                try { Console.ReadLine(); }
                catch (Exception ex) { logger.LogError(ex, "Read failed: {Message}", ex.Message); }
                try { Console.ReadLine(); }
                catch (Exception ex) { logger.LogError("Read failed: {Message}", ex.Message); throw; }
                try { Console.ReadLine(); }
                catch (Exception ex) { throw new InvalidOperationException(ex.Message, ex); }
            }
        }
        """);

    [Fact]
    public Task Ignores_message_that_is_only_tested() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        class C
        {
            bool M()
            {
                try { File.Delete("x"); return true; }
                catch (IOException ex) when (ex.Message.Length > 0) { return false; }
            }
        }
        """);

    // ---- Generated code and odd syntax ------------------------------------------------------------

    [Fact]
    public Task Ignores_generated_code() => Verify.VerifyAsync("""
        // <auto-generated/>
        class C
        {
            void M()
            {
                try { System.Console.WriteLine(); }
                catch { }
                try { System.Console.WriteLine(); }
                catch (System.Exception) { return; }
            }
        }
        """);

    [Fact]
    public async Task Survives_incomplete_code_without_crashing()
    {
        var test = Verify.CreateTest("""
            class C
            {
                void M()
                {
                    try { System.Console.WriteLine(); }
                    {|MCPSEC201:catch|} { return
                }
            """);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }
}
