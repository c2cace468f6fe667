using HostedPbx.Admin;

return await AdminCommands.RunAsync(args, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None);
