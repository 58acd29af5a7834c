using McpSecurity.CodeFixes.ExceptionHandling;
using McpSecurity.TestSupport;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.ExceptionHandling.CatchClauseAnalyzer,
    McpSecurity.CodeFixes.ExceptionHandling.SwallowingCatchCodeFix>;

namespace McpSecurity.CodeFixes.Tests.ExceptionHandling;

public class SwallowingCatchCodeFixTests
{
    [Fact]
    public Task Rethrow_replaces_every_normal_exit() => Verify.VerifyAsync("""
        using System;
        class C
        {
            bool TrySend(string to, bool quiet)
            {
                try
                {
                    Send(to);
                    return true;
                }
                {|MCPSEC202:catch (Exception ex)|}
                {
                    if (quiet)
                    {
                        return false;
                    }
                    Console.Error.WriteLine("send failed");
                }
                return false;
            }
            void Send(string to) { }
        }
        """, """
        using System;
        class C
        {
            bool TrySend(string to, bool quiet)
            {
                try
                {
                    Send(to);
                    return true;
                }
                catch (Exception ex)
                {
                    if (quiet)
                    {
                        throw;
                    }
                    Console.Error.WriteLine("send failed");
                    throw;
                }
            }
            void Send(string to) { }
        }
        """, SwallowingCatchCodeFix.DefaultKey);

    // The command line and dotnet format apply the first action: a tool that returned a default must keep returning it.
    [Fact]
    public Task First_action_logs_and_keeps_every_fallback() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using Microsoft.Extensions.Logging;
        class Webhooks(ILogger<Webhooks> logger)
        {
            public bool IsValid(string url)
            {
                try
                {
                    return new Uri(url).Scheme == Uri.UriSchemeHttps;
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return false;
                }
            }

            public List<int> ParseAll(IEnumerable<string> items)
            {
                var result = new List<int>();
                foreach (var item in items)
                {
                    try
                    {
                        result.Add(int.Parse(item));
                    }
                    {|MCPSEC202:catch (Exception)|}
                    {
                        continue;
                    }
                }

                return result;
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using Microsoft.Extensions.Logging;
        class Webhooks(ILogger<Webhooks> logger)
        {
            public bool IsValid(string url)
            {
                try
                {
                    return new Uri(url).Scheme == Uri.UriSchemeHttps;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "IsValid failed");
                    return false;
                }
            }

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
        }
        """);

    // dotnet format takes the first action of whichever diagnostic it meets first: a handler without a
    // logger (rethrow) must not make Fix All rethrow where a logger could keep the fallback.
    [Fact]
    public Task Fix_all_from_a_handler_without_a_logger_still_keeps_the_fallback_where_a_logger_is() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class Webhooks(ILogger<Webhooks> logger)
        {
            public static bool IsHttps(string url)
            {
                try
                {
                    return new Uri(url).Scheme == Uri.UriSchemeHttps;
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return false;
                }
            }

            public bool IsValid(string url)
            {
                try
                {
                    return new Uri(url).Host.Length > 0;
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return false;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class Webhooks(ILogger<Webhooks> logger)
        {
            public static bool IsHttps(string url)
            {
                try
                {
                    return new Uri(url).Scheme == Uri.UriSchemeHttps;
                }
                catch (Exception)
                {
                    throw;
                }
            }

            public bool IsValid(string url)
            {
                try
                {
                    return new Uri(url).Host.Length > 0;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "IsValid failed");
                    return false;
                }
            }
        }
        """, SwallowingCatchCodeFix.DefaultKey);

    [Fact]
    public Task Log_and_rethrow_names_the_exception_and_uses_the_field_logger() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class DiscordTools
        {
            private readonly ILogger<DiscordTools> _logger;
            public DiscordTools(ILogger<DiscordTools> logger) => _logger = logger;
            public object? Analyze(string channel)
            {
                try
                {
                    return channel.Trim();
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return null;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class DiscordTools
        {
            private readonly ILogger<DiscordTools> _logger;
            public DiscordTools(ILogger<DiscordTools> logger) => _logger = logger;
            public object? Analyze(string channel)
            {
                try
                {
                    return channel.Trim();
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "Analyze failed");
                    throw;
                }
            }
        }
        """, SwallowingCatchCodeFix.LogAndRethrowKey);

    [Fact]
    public Task Log_and_rethrow_picks_a_free_name_for_the_exception() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            void M(ILogger logger, string ex)
            {
                try
                {
                    Console.WriteLine(ex);
                }
                {|MCPSEC202:catch (Exception)|}
                {
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            void M(ILogger logger, string ex)
            {
                try
                {
                    Console.WriteLine(ex);
                }
                catch (Exception exception)
                {
                    logger.LogError(exception, "M failed");
                    throw;
                }
            }
        }
        """, SwallowingCatchCodeFix.LogAndRethrowKey);

    [Fact]
    public Task Throw_McpException_in_a_tool_keeps_the_inner_exception() => Verify.VerifyAsync("""
        using System;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        class MediaTools
        {
            [McpServerTool(Name = "ffmpeg_edit")]
            public string Edit(string input)
            {
                try
                {
                    return input.ToUpperInvariant();
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return "failed";
                }
            }
        }
        """, """
        using System;
        using ModelContextProtocol;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        class MediaTools
        {
            [McpServerTool(Name = "ffmpeg_edit")]
            public string Edit(string input)
            {
                try
                {
                    return input.ToUpperInvariant();
                }
                catch (Exception ex)
                {
                    throw new McpException("The 'ffmpeg_edit' tool failed.", ex);
                }
            }
        }
        """, SwallowingCatchCodeFix.ThrowMcpExceptionKey, TestReferences.McpSdkStubs);

    [Fact]
    public async Task McpException_fix_is_not_offered_outside_tools()
    {
        var source = """
            using System;
            class C
            {
                string Edit(string input)
                {
                    try
                    {
                        return input.ToUpperInvariant();
                    }
                    {|MCPSEC202:catch (Exception)|}
                    {
                        return "failed";
                    }
                }
            }
            """;
        await Verify.VerifyAsync(source, source, SwallowingCatchCodeFix.ThrowMcpExceptionKey, TestReferences.McpSdkStubs);
    }

    [Fact]
    public Task Fix_all_rethrows_in_loops_lambdas_local_functions_and_nested_try() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(IEnumerable<string> messages)
            {
                var total = 0;
                foreach (var message in messages)
                {
                    try
                    {
                        total += int.Parse(message);
                    }
                    {|MCPSEC202:catch (Exception)|}
                    {
                        continue;
                    }
                }
                Func<string?> read = () =>
                {
                    try
                    {
                        return Console.ReadLine();
                    }
                    {|MCPSEC202:catch (Exception)|}
                    {
                        return null;
                    }
                };
                try
                {
                    try
                    {
                        await Local();
                    }
                    {|MCPSEC202:catch (SystemException)|}
                    {
                    }
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return -1;
                }
                return total;

                async Task Local()
                {
                    try
                    {
                        await Task.Delay(1);
                    }
                    {|MCPSEC202:catch (Exception)|}
                    {
                        return;
                    }
                }
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(IEnumerable<string> messages)
            {
                var total = 0;
                foreach (var message in messages)
                {
                    try
                    {
                        total += int.Parse(message);
                    }
                    catch (Exception)
                    {
                        throw;
                    }
                }
                Func<string?> read = () =>
                {
                    try
                    {
                        return Console.ReadLine();
                    }
                    catch (Exception)
                    {
                        throw;
                    }
                };
                try
                {
                    try
                    {
                        await Local();
                    }
                    catch (SystemException)
                    {
                        throw;
                    }
                }
                catch (Exception)
                {
                    throw;
                }
                return total;

                async Task Local()
                {
                    try
                    {
                        await Task.Delay(1);
                    }
                    catch (Exception)
                    {
                        throw;
                    }
                }
            }
        }
        """, SwallowingCatchCodeFix.DefaultKey);

    [Fact]
    public Task Fix_all_logs_and_rethrows_in_every_method_of_a_class() => Verify.VerifyAsync("""
        using System;
        using Microsoft.Extensions.Logging;
        class Tools(ILogger<Tools> logger)
        {
            public bool A()
            {
                try
                {
                    return true;
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return false;
                }
            }
            public string? B()
            {
                try
                {
                    return Console.ReadLine();
                }
                {|MCPSEC202:catch (Exception e)|}
                {
                    return null;
                }
            }
        }
        """, """
        using System;
        using Microsoft.Extensions.Logging;
        class Tools(ILogger<Tools> logger)
        {
            public bool A()
            {
                try
                {
                    return true;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "A failed");
                    throw;
                }
            }
            public string? B()
            {
                try
                {
                    return Console.ReadLine();
                }
                catch (Exception e)
                {
                    logger.LogError(e, "B failed");
                    throw;
                }
            }
        }
        """, SwallowingCatchCodeFix.LogAndRethrowKey);

    [Fact]
    public Task Fix_all_throws_McpException_in_each_tool() => Verify.VerifyAsync("""
        using System;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        class EmailTools
        {
            [McpServerTool]
            public string EmailAnalyze(string email)
            {
                try
                {
                    return email.Split('@')[1];
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return "";
                }
            }

            [McpServerTool(Name = "email_send")]
            public bool Send(string to)
            {
                try
                {
                    return to.Length > 0;
                }
                {|MCPSEC202:catch (Exception)|}
                {
                    return false;
                }
            }
        }
        """, """
        using System;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        class EmailTools
        {
            [McpServerTool]
            public string EmailAnalyze(string email)
            {
                try
                {
                    return email.Split('@')[1];
                }
                catch (Exception ex)
                {
                    throw new ModelContextProtocol.McpException("The 'EmailAnalyze' tool failed.", ex);
                }
            }

            [McpServerTool(Name = "email_send")]
            public bool Send(string to)
            {
                try
                {
                    return to.Length > 0;
                }
                catch (Exception ex)
                {
                    throw new ModelContextProtocol.McpException("The 'email_send' tool failed.", ex);
                }
            }
        }
        """, SwallowingCatchCodeFix.ThrowMcpExceptionKey, TestReferences.McpSdkStubs);
}
