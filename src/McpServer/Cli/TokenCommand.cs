using System;
using System.CommandLine;
using System.Linq;
using McpSecurity.Server.Engine;
using McpSecurity.Server.Hosting;

namespace McpSecurity.Server.Cli;

/// <summary><c>token</c>: mints an HS256 bearer token for HTTP clients, signed with <c>SECRET_KEY</c>.</summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var subject = new Option<string>("--subject") { Description = "Who the token is for (the 'sub' claim)", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = $"Scopes to grant: {Scopes.Tools} (all tools but run_program), {Scopes.RunProgram} (run_program)", DefaultValueFactory = _ => [Scopes.Tools], AllowMultipleArgumentsPerToken = true };
        var ttl = new Option<TimeSpan>("--ttl") { Description = "Lifetime, e.g. 01:00:00 for one hour", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var issuer = new Option<string>("--issuer") { DefaultValueFactory = _ => new ServerSettings().Issuer };
        var audience = new Option<string>("--audience") { DefaultValueFactory = _ => new ServerSettings().Audience };
        var command = new Command("token", "Mint an HS256 bearer token for HTTP clients, signed with SECRET_KEY.") { subject, scopes, ttl, issuer, audience };
        command.SetGuardedAction(parse =>
        {
            if (!SecretKey.TryCreate(Environment.GetEnvironmentVariable(SecretKey.VariableName), out var key, out var error))
            {
                throw new InputException(error!);
            }

            var lifetime = parse.GetValue(ttl);
            if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(30))
            {
                throw new InputException("--ttl must be positive and at most 30 days.");
            }

            var granted = (parse.GetValue(scopes) ?? []).SelectMany(s => s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries));
            Console.Out.WriteLine(TokenIssuer.Create(key!, parse.GetValue(issuer)!, parse.GetValue(audience)!, parse.GetValue(subject)!, granted, lifetime));
            return ExitCodes.Clean;
        });
        return command;
    }
}
