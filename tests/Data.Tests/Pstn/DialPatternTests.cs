using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Data.Tests.Pstn;

/// <summary>Route patterns as a tenant types them, and which route a dialled number takes.</summary>
public sealed class DialPatternTests
{
    private static readonly CountryDialPlan s_germany = CountryDialPlan.Find("DE")!;

    [Theory]
    [InlineData("+44*", "00442079460018", true)]
    [InlineData("+44*", "030123456", false)]
    [InlineData("0*", "030123456", true)]
    [InlineData("0*", "+4930123456", false)]
    [InlineData("00*", "00442079460018", true)]
    [InlineData("+4930XXXXXX", "030123456", true)]
    [InlineData("+4930XXXXXX", "0301234567", false)]
    [InlineData("+49*", "+4930123456", true)]
    public void Matches_DialledOrE164ByThePatternsForm(string text, string dialled, bool expected)
    {
        var destination = OutboundDestination.Classify(dialled, s_germany);

        Assert.Equal(expected, DialPattern.Parse(text).Matches(destination.Dialled, destination.Number));
    }

    [Theory]
    [InlineData("", "at least one digit")]
    [InlineData("*", "at least one digit")]
    [InlineData("+44**", "'*' at position 4")]
    [InlineData("4+4", "'+' at position 2")]
    [InlineData("0[1-9]*", "'[' at position 2")]
    [InlineData("+44x", "'x' at position 4")]
    public void TryParse_WhatDoesNotParse_SaysWhere(string text, string words)
    {
        Assert.False(DialPattern.TryParse(text, out var pattern, out var error));
        Assert.Null(pattern);
        Assert.Contains(words, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_LowestPriorityMatchingEnabledRouteWins()
    {
        var trunk = Guid.CreateVersion7();
        OutboundRoute[] routes =
        [
            new() { Name = "all", Pattern = "+*", Priority = 30, TrunkIds = [trunk] },
            new() { Name = "uk off", Pattern = "+44*", Priority = 5, TrunkIds = [trunk], Enabled = false },
            new() { Name = "uk", Pattern = "+44*", Priority = 10, TrunkIds = [trunk] },
            new() { Name = "national", Pattern = "0*", Priority = 20, TrunkIds = [trunk] },
        ];

        Assert.Equal("uk", OutboundRouting.Select(routes, OutboundDestination.Classify("00442079460018", s_germany))?.Name);
        Assert.Equal("national", OutboundRouting.Select(routes, OutboundDestination.Classify("030123456", s_germany))?.Name);
        Assert.Equal("all", OutboundRouting.Select(routes, OutboundDestination.Classify("+33142681234", s_germany))?.Name);
        Assert.Null(OutboundRouting.Select(routes, OutboundDestination.Classify("12", s_germany)));
    }

    [Fact]
    public void SelectForEmergency_TakesTheOwnCountrysRoute_OrElseTheFirstEnabledOne()
    {
        OutboundRoute[] routes =
        [
            new() { Name = "uk", Pattern = "+44*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] },
            new() { Name = "germany", Pattern = "+49*", Priority = 2, TrunkIds = [Guid.CreateVersion7()] },
        ];

        var destination = OutboundDestination.Classify("112", s_germany);

        Assert.Equal(DialledKind.Emergency, destination.Kind);
        Assert.Equal("germany", OutboundRouting.SelectForEmergency(routes, destination, s_germany)?.Name);
        Assert.Equal("uk", OutboundRouting.SelectForEmergency(routes[..1], destination, s_germany)?.Name);
    }
}
