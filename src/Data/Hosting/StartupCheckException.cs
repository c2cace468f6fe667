namespace HostedPbx.Data.Hosting;

/// <summary>A part cannot start; the message is one sentence that names what to fix.</summary>
public sealed class StartupCheckException(string message, Exception? innerException = null) : Exception(message, innerException);
