using McpSecurity.CodeFixes.DataExposure;
using McpSecurity.TestSupport;
using Verify = McpSecurity.TestSupport.CodeFixVerifier<
    McpSecurity.Analyzers.DataExposure.DataExposureAnalyzer,
    McpSecurity.CodeFixes.DataExposure.ArgumentKeysCodeFix>;

namespace McpSecurity.CodeFixes.Tests.DataExposure;

public class ArgumentKeysCodeFixTests
{
    private static Task VerifyAsync(string source, string fixedSource)
        => Verify.VerifyAsync(source, fixedSource, ArgumentKeysCodeFix.EquivalenceKey, McpServerStubs.Source, DataExposureStubs.Source);

    [Fact]
    public Task Logs_the_parameter_name_instead_of_a_tool_argument() => VerifyAsync("""
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string input)
            {
                logger.LogInformation("called with {Input}", {|MCPSEC501:input|});
                return "ok";
            }
        }
        """, """
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string input)
            {
                logger.LogInformation("called with {Input}", nameof(input));
                return "ok";
            }
        }
        """);

    [Fact]
    public Task Logs_the_keys_instead_of_serialized_request_arguments() => VerifyAsync("""
        #nullable enable
        using System.Text.Json;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        public static class Handlers
        {
            public static void Handle(RequestContext<CallToolRequestParams> request, ILogger logger)
            {
                logger.LogWarning("args {Args}", {|MCPSEC501:JsonSerializer.Serialize(request.Params!.Arguments)|});
            }
        }
        """, """
        #nullable enable
        using System.Text.Json;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        public static class Handlers
        {
            public static void Handle(RequestContext<CallToolRequestParams> request, ILogger logger)
            {
                logger.LogWarning("args {Args}", string.Join(", ", request.Params!.Arguments?.Keys ?? System.Array.Empty<string>()));
            }
        }
        """);

    [Fact]
    public Task Puts_the_keys_into_an_exception_message() => VerifyAsync("""
        using System;
        using System.Collections.Generic;

        public class Dispatcher
        {
            public void Dispatch(IDictionary<string, object?> args)
            {
                throw new InvalidOperationException($"failed with {{|MCPSEC502:args|}}");
            }
        }
        """, """
        using System;
        using System.Collections.Generic;

        public class Dispatcher
        {
            public void Dispatch(IDictionary<string, object?> args)
            {
                throw new InvalidOperationException($"failed with {string.Join(", ", args.Keys)}");
            }
        }
        """);

    [Fact]
    public Task Writes_the_key_instead_of_a_value_read_under_it() => VerifyAsync("""
        using System.Collections.Generic;
        using System.Text.Json;
        using Microsoft.Extensions.Logging;

        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(IDictionary<string, JsonElement> arguments, JsonElement payload)
            {
                logger.LogInformation("path {Path}", {|MCPSEC501:arguments["path"].GetString()|});
                logger.LogInformation("mode {Mode}", {|MCPSEC501:payload.GetProperty("mode").GetString()|});
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Text.Json;
        using Microsoft.Extensions.Logging;

        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(IDictionary<string, JsonElement> arguments, JsonElement payload)
            {
                logger.LogInformation("path {Path}", "path");
                logger.LogInformation("mode {Mode}", "mode");
            }
        }
        """);

    [Fact]
    public Task Keeps_a_string_Join_and_joins_the_keys() => VerifyAsync("""
        using System.Collections.Generic;
        using Microsoft.Extensions.Logging;

        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(Dictionary<string, string> parameters)
            {
                logger.LogDebug("parameters: " + string.Join("; ", {|MCPSEC501:parameters|}));
            }
        }
        """, """
        using System.Collections.Generic;
        using Microsoft.Extensions.Logging;

        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(Dictionary<string, string> parameters)
            {
                logger.LogDebug("parameters: " + string.Join("; ", parameters.Keys));
            }
        }
        """);

    [Fact]
    public Task Names_the_properties_of_a_JSON_arguments_object_and_imports_Linq() => VerifyAsync("""
        using System;
        using System.Text.Json;

        public class Dispatcher
        {
            public void Dispatch(JsonElement arguments)
            {
                Console.WriteLine({|MCPSEC501:arguments.GetRawText()|});
            }
        }
        """, """
        using System;
        using System.Text.Json;
        using System.Linq;

        public class Dispatcher
        {
            public void Dispatch(JsonElement arguments)
            {
                Console.WriteLine(string.Join(", ", arguments.EnumerateObject().Select(property => property.Name)));
            }
        }
        """);

    [Fact]
    public async Task Offers_no_fix_where_a_name_would_not_compile_or_say_nothing()
    {
        var source = """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.Logging;
            using ModelContextProtocol.Server;

            public record RunRequest(string Command);

            public static class Log
            {
                public static readonly Action<ILogger, RunRequest, Exception?> Called =
                    LoggerMessage.Define<RunRequest>(LogLevel.Information, new EventId(1), "Called with {Request}");
            }

            public class Tools(ILogger<Tools> logger)
            {
                [McpServerTool]
                public void Run(RunRequest request, Dictionary<string, string> options)
                {
                    Log.Called(logger, {|MCPSEC501:request|}, null);
                    var message = "options " + string.Join(",", options.Values);
                    logger.LogInformation({|MCPSEC501:message|});
                    foreach (var pair in options)
                    {
                        logger.LogDebug("{Key}={Value}", pair.Key, {|MCPSEC501:pair.Value|});
                    }
                }
            }
            """;
        // Offered on the node; computing it shows the result would not compile, so it changes nothing.
        await Infrastructure.FixRunner.AssertLeavesUnchangedAsync(
            source, new McpSecurity.Analyzers.DataExposure.DataExposureAnalyzer(), new ArgumentKeysCodeFix(), ArgumentKeysCodeFix.EquivalenceKey, McpServerStubs.Source, DataExposureStubs.Source);
    }

    [Fact]
    public Task Fix_all_replaces_every_value_and_the_result_compiles() => VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Text.Json;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string path, string query, IDictionary<string, object?> args)
            {
                logger.LogInformation("run {Path} {Query}", {|MCPSEC501:path|}, {|MCPSEC501:query.Trim()|});
                logger.LogDebug($"args: {{|MCPSEC501:JsonSerializer.Serialize(args)|}}");
                if (path.Length == 0)
                {
                    throw new ArgumentException("no file at " + {|MCPSEC502:path|}, nameof(path));
                }

                return "ok";
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Text.Json;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string path, string query, IDictionary<string, object?> args)
            {
                logger.LogInformation("run {Path} {Query}", nameof(path), nameof(query));
                logger.LogDebug($"args: {string.Join(", ", args.Keys)}");
                if (path.Length == 0)
                {
                    throw new ArgumentException("no file at " + nameof(path), nameof(path));
                }

                return "ok";
            }
        }
        """);
}
