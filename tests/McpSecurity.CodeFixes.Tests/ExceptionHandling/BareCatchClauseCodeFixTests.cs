using McpSecurity.Analyzers.ExceptionHandling;
using McpSecurity.CodeFixes.ExceptionHandling;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ExceptionHandling.CatchClauseAnalyzer,
    McpSecurity.CodeFixes.ExceptionHandling.BareCatchClauseCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ExceptionHandling;

public class BareCatchClauseCodeFixTests
{
    [Fact]
    public Task Rethrows_instead_of_returning_null() => Verify.VerifyAsync("""
        using System;
        class C
        {
            string? Read(string path)
            {
                try
                {
                    return System.IO.File.ReadAllText(path);
                }
                {|MCPSEC201:catch|}
                {
                    return null;
                }
            }
        }
        """, """
        using System;
        class C
        {
            string? Read(string path)
            {
                try
                {
                    return System.IO.File.ReadAllText(path);
                }
                catch (Exception)
                {
                    throw;
                }
            }
        }
        """);

    // Found on real MCP servers: 'catch { // Swallow: logging should never throw }' got its
    // 'throw;' above the comment that explained the empty handler.
    [Fact]
    public Task Keeps_the_comment_of_an_empty_handler_above_the_rethrow() => Verify.VerifyAsync("""
        class C
        {
            void Send(System.Action send)
            {
                try
                {
                    send();
                }
                {|MCPSEC201:catch|}
                {
                    // Swallow: logging should never throw
                }
            }
        }
        """, """
        class C
        {
            void Send(System.Action send)
            {
                try
                {
                    send();
                }
                catch (System.Exception)
                {
                    // Swallow: logging should never throw
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Keeps_cleanup_and_the_filter_and_rethrows_at_the_end() => Verify.VerifyAsync("""
        class C
        {
            bool retry;
            void Cleanup() { }
            void M()
            {
                try
                {
                    System.Console.WriteLine();
                }
                {|MCPSEC201:catch|} when (retry)
                {
                    Cleanup();
                }
            }
        }
        """, """
        class C
        {
            bool retry;
            void Cleanup() { }
            void M()
            {
                try
                {
                    System.Console.WriteLine();
                }
                catch (System.Exception) when (retry)
                {
                    Cleanup();
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Logs_with_the_logger_in_scope_and_rethrows() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class EmailTools(ILogger<EmailTools> logger)
        {
            public string? Analyze(string email)
            {
                try
                {
                    return email.Split('@')[1];
                }
                {|MCPSEC201:catch|}
                {
                    return null;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class EmailTools(ILogger<EmailTools> logger)
        {
            public string? Analyze(string email)
            {
                try
                {
                    return email.Split('@')[1];
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Analyze failed");
                    throw;
                }
            }
        }
        """, BareCatchClauseCodeFix.EquivalenceKey);

    [Fact]
    public Task Adds_the_logging_using_when_only_the_type_name_is_qualified() => Verify.VerifyAsync("""
        using System;
        class C
        {
            private readonly Microsoft.Extensions.Logging.ILogger logger;
            C(Microsoft.Extensions.Logging.ILogger logger) => this.logger = logger;
            void M()
            {
                try
                {
                    Console.WriteLine();
                }
                {|MCPSEC201:catch|}
                {
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;

        class C
        {
            private readonly Microsoft.Extensions.Logging.ILogger logger;
            C(Microsoft.Extensions.Logging.ILogger logger) => this.logger = logger;
            void M()
            {
                try
                {
                    Console.WriteLine();
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "M failed");
                    throw;
                }
            }
        }
        """, BareCatchClauseCodeFix.EquivalenceKey);

    [Fact]
    public Task Does_not_use_an_instance_logger_from_a_static_method() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger logger = null!;
            static int Parse(string s)
            {
                try
                {
                    return int.Parse(s);
                }
                {|MCPSEC201:catch|}
                {
                    return 0;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger logger = null!;
            static int Parse(string s)
            {
                try
                {
                    return int.Parse(s);
                }
                catch (Exception)
                {
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task First_action_logs_and_keeps_the_fallback_where_a_logger_is_in_scope() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class EmailTools(ILogger<EmailTools> logger)
        {
            public string? Analyze(string email)
            {
                try
                {
                    return email.Split('@')[1];
                }
                {|MCPSEC201:catch|}
                {
                    return null;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class EmailTools(ILogger<EmailTools> logger)
        {
            public string? Analyze(string email)
            {
                try
                {
                    return email.Split('@')[1];
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Analyze failed");
                    return null;
                }
            }
        }
        """);

    // Found on the bundled sample: the primary constructor's logger was used in a static method (CS9105).
    [Fact]
    public Task Does_not_use_a_primary_constructor_logger_from_a_static_method() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class Tools(ILogger<Tools> logger)
        {
            public void Ping() => logger.LogInformation("ping");

            static int Parse(string s)
            {
                try
                {
                    return int.Parse(s);
                }
                {|MCPSEC201:catch|}
                {
                    return 0;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class Tools(ILogger<Tools> logger)
        {
            public void Ping() => logger.LogInformation("ping");

            static int Parse(string s)
            {
                try
                {
                    return int.Parse(s);
                }
                catch (Exception)
                {
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Does_not_capture_a_logger_parameter_in_a_static_lambda() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class Tools
        {
            Func<string, int> Parser(ILogger logger) => static s =>
            {
                try
                {
                    return int.Parse(s);
                }
                {|MCPSEC201:catch|}
                {
                    return 0;
                }
            };
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class Tools
        {
            Func<string, int> Parser(ILogger logger) => static s =>
            {
                try
                {
                    return int.Parse(s);
                }
                catch (Exception)
                {
                    throw;
                }
            };
        }
        """);

    // A static lambda has no 'this': the field logger of the class would not bind there (CS8821).
    [Fact]
    public Task Does_not_use_a_field_logger_inside_a_static_lambda() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class Tools
        {
            private readonly ILogger _logger = null!;
            public void Log() => _logger.LogInformation("x");
            Func<string, int> Parser() => static s =>
            {
                try
                {
                    return int.Parse(s);
                }
                {|MCPSEC201:catch|}
                {
                    return 0;
                }
            };
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class Tools
        {
            private readonly ILogger _logger = null!;
            public void Log() => _logger.LogInformation("x");
            Func<string, int> Parser() => static s =>
            {
                try
                {
                    return int.Parse(s);
                }
                catch (Exception)
                {
                    throw;
                }
            };
        }
        """);

    // CS0162 after the inserted 'throw;' is an error under TreatWarningsAsErrors.
    [Fact]
    public Task Rethrow_removes_the_fallback_it_makes_unreachable() => Verify.VerifyAsync("""
        using System;
        class C
        {
            string? Read(string path)
            {
                try
                {
                    return System.IO.File.ReadAllText(path);
                }
                {|MCPSEC201:catch|}
                {
                }

                return null;
            }
        }
        """, """
        using System;
        class C
        {
            string? Read(string path)
            {
                try
                {
                    return System.IO.File.ReadAllText(path);
                }
                catch (Exception)
                {
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_logs_and_keeps_every_fallback() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using Microsoft.Extensions.Logging;
        class Parser(ILogger<Parser> logger)
        {
            public List<int> ParseAll(IEnumerable<string> items)
            {
                var result = new List<int>();
                foreach (var item in items)
                {
                    try
                    {
                        result.Add(int.Parse(item));
                    }
                    {|MCPSEC201:catch|}
                    {
                        continue;
                    }
                }

                return result;
            }

            public bool TryParse(string s)
            {
                try
                {
                    return int.Parse(s) > 0;
                }
                {|MCPSEC201:catch|}
                {
                }

                return false;
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using Microsoft.Extensions.Logging;
        class Parser(ILogger<Parser> logger)
        {
            public List<int> ParseAll(IEnumerable<string> items)
            {
                var result = new List<int>();
                foreach (var item in items)
                {
                    try
                    {
                        result.Add(int.Parse(item));
                    }
                    catch (Exception ex)
                    {
                        logger.LogError(ex, "ParseAll failed");
                        continue;
                    }
                }

                return result;
            }

            public bool TryParse(string s)
            {
                try
                {
                    return int.Parse(s) > 0;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "TryParse failed");
                }

                return false;
            }
        }
        """);

    [Fact]
    public async Task Offers_no_fix_when_an_exit_is_inside_a_nested_finally()
    {
        var source = """
            class C
            {
                void M()
                {
                    for (var i = 0; i < 3; i++)
                    {
                        try
                        {
                            System.Console.WriteLine();
                        }
                        {|MCPSEC201:catch|}
                        {
                            try { System.Console.WriteLine(); }
                            finally { }
                            goto done;
                        }
                    }
                    done:
                    System.Console.WriteLine();
                }
            }
            """;
        await Verify.VerifyAsync(source, source);
    }

    [Fact]
    public Task Fix_all_rewrites_every_bare_catch_in_loops_lambdas_and_nested_handlers() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        class C
        {
            List<int> ParseAll(IEnumerable<string> items)
            {
                var result = new List<int>();
                foreach (var item in items)
                {
                    try
                    {
                        result.Add(int.Parse(item));
                    }
                    {|MCPSEC201:catch|}
                    {
                        continue;
                    }
                }
                Func<int> read = () =>
                {
                    try
                    {
                        return int.Parse(Console.ReadLine()!);
                    }
                    {|MCPSEC201:catch|}
                    {
                        return -1;
                    }
                };
                try
                {
                    read();
                }
                {|MCPSEC201:catch|}
                {
                    try
                    {
                        Console.WriteLine();
                    }
                    {|MCPSEC201:catch|}
                    {
                    }
                }
                return result;
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        class C
        {
            List<int> ParseAll(IEnumerable<string> items)
            {
                var result = new List<int>();
                foreach (var item in items)
                {
                    try
                    {
                        result.Add(int.Parse(item));
                    }
                    catch (Exception)
                    {
                        throw;
                    }
                }
                Func<int> read = () =>
                {
                    try
                    {
                        return int.Parse(Console.ReadLine()!);
                    }
                    catch (Exception)
                    {
                        throw;
                    }
                };
                try
                {
                    read();
                }
                catch (Exception)
                {
                    try
                    {
                        Console.WriteLine();
                    }
                    catch (Exception)
                    {
                        throw;
                    }

                    throw;
                }
                return result;
            }
        }
        """);
}
