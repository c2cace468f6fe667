namespace HostedPbx.Testing;

/// <summary>Marker for the shared test-support assembly.</summary>
public static class TestAssembly;
