namespace HostedPbx.Data.Entities;

/// <summary>Which greeting a caller hears before leaving a message.</summary>
public enum GreetingKind
{
    /// <summary>The extension did not answer or is not registered.</summary>
    Unavailable,

    /// <summary>The extension was busy.</summary>
    Busy,
}
