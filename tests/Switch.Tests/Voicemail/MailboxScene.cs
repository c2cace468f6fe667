using System.Buffers.Binary;
using System.Net;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Media.Rtp;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// A tenant in the database with extensions 201 (the caller) and 202 (voicemail on), and the call harness with the
/// switch's voicemail over that database: the switch's role, a master key, a voicemail root of its own.
/// </summary>
internal sealed class MailboxScene : IAsyncDisposable
{
    private readonly List<string> _mounts = [];

    private MailboxScene(PostgresFixture database, KeyProtector keys, string root)
    {
        Database = database;
        Keys = keys;
        Root = root;
    }

    public PostgresFixture Database { get; }

    public KeyProtector Keys { get; }

    public string Root { get; }

    public CallHarness Harness { get; private set; } = null!;

    public MailboxStore Store { get; private set; } = null!;

    public Tenant Tenant { get; private set; } = null!;

    public Extension Caller { get; private set; } = null!;

    public Extension Callee { get; private set; } = null!;

    public static async Task<MailboxScene> StartAsync(PostgresFixture database, int mediaPortMin, CancellationToken cancellationToken, int maxMessages = 100, ILogger? logger = null)
    {
        await database.ResetAsync();
        var scene = new MailboxScene(database, new KeyProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            Directory.CreateTempSubdirectory("hostedpbx-voicemail-").FullName);
        await using (var owner = database.CreateOwnerContext())
        {
            var reseller = new Reseller { Name = "VM Reseller", CreatedAt = TestClock.Now };
            scene.Tenant = new Tenant { Name = "VM", ResellerId = reseller.Id, CreatedAt = TestClock.Now, VoicemailMaxMessages = maxMessages };
            scene.Caller = new Extension { TenantId = scene.Tenant.Id, Number = "201", DisplayName = "Alice Adams", CreatedAt = TestClock.Now };
            scene.Callee = new Extension { TenantId = scene.Tenant.Id, Number = "202", DisplayName = "Bob Brown", CreatedAt = TestClock.Now };
            owner.AddRange(reseller, scene.Tenant, scene.Caller, scene.Callee);
            await owner.SaveChangesAsync(cancellationToken);
        }

        scene.Harness = new CallHarness(mediaPortMin, mediaPortMin + 49, mailboxes: h =>
        {
            scene.Store = new MailboxStore(new SwitchContexts(database), scene.Keys, scene.Root, h.Time, logger ?? NullLogger.Instance);
            return new Mailboxes(scene.Store, h.Prompts, () => h.Directory, h.Time, logger ?? NullLogger.Instance, h.Audit, new ApplicationDrops());
        });
        await scene.Harness.Prompts.EnsureAsync(cancellationToken);
        scene.Harness.AddTenant(id: scene.Tenant.Id);
        scene.Harness.AddExtension(scene.Tenant.Id, "201", scene.Caller.Id, voicemail: true, scene.Caller.DisplayName);
        scene.Harness.AddExtension(scene.Tenant.Id, "202", scene.Callee.Id, voicemail: true);
        return scene;
    }

    /// <summary>The mailbox leg of the one call in progress.</summary>
    public MailboxLeg Mailbox => Assert.IsType<MailboxLeg>(Assert.Single(Harness.Calls.ActiveCalls).Callee);

    /// <summary>Plays the greeting and tone out, 20 ms at a time, until the mailbox records.</summary>
    public async Task PassGreetingAsync(CancellationToken cancellationToken)
    {
        var mailbox = Mailbox;
        var samples = await mailbox.Greeting.WaitAsync(cancellationToken);
        for (var i = 0; i <= (samples + 159) / 160; i++)
        {
            Harness.Time.Advance(TimeSpan.FromMilliseconds(20));
        }

        await mailbox.Recording.WaitAsync(cancellationToken);
    }

    /// <summary>An RFC 4733 event packet (start, then end three times, RFC 4733 §2.5.1.4) for <paramref name="digit"/>.</summary>
    public static async Task SendDigitAsync(TestPhone phone, NegotiatedMedia media, SrtpContext outbound, ushort sequence, uint timestamp, char digit, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 4; i++)
        {
            var packet = new byte[12 + TelephoneEvent.Length + 64];
            packet[0] = 0x80;
            packet[1] = (byte)(media.TelephoneEventPayloadType!.Value | (i == 0 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(sequence + i));
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234_0000u + (uint)phone.Port);
            new TelephoneEvent(TelephoneEvent.CodeOf(digit)!.Value, i > 0, 10, (ushort)(400 * (i + 1))).Write(packet.AsSpan(12));
            Assert.Equal(SrtpStatus.Ok, outbound.ProtectRtp(packet, 12 + TelephoneEvent.Length, out var length));
            await phone.Media.SendToAsync(packet.AsMemory(0, length), new IPEndPoint(IPAddress.Parse(media.RemoteAddress), media.RemoteRtpPort), cancellationToken);
        }
    }

    /// <summary>
    /// Puts the mailbox of <paramref name="extension"/> on a tmpfs of <paramref name="size"/> (e.g. "40k") of its own, a
    /// disk that fills up; unmounted when the scene is disposed. Needs root (mount(8)).
    /// </summary>
    public async Task<string> MountSmallDiskAsync(Extension extension, string size, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, Tenant.Id.ToString("D"), extension.Id.ToString("D"));
        Directory.CreateDirectory(folder);
        await RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", folder], cancellationToken);
        _mounts.Add(folder);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Harness.DisposeAsync();
        }
        finally
        {
            foreach (var folder in _mounts)
            {
                await RunAsync("umount", [folder], CancellationToken.None);
            }
        }

        Keys.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private static async Task RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{command} failed: {error}");
    }
}
