using System.Net;
using Platform.Domain.Events;

namespace Platform.Domain.Tests;

public sealed class WebhookRulesTests
{
    private static readonly string[] Filed = [EventTypes.ComplaintFiled];

    [Theory]
    [InlineData("http://zaak.example.nl/hook", "INVALID_FORMAT")] // not HTTPS
    [InlineData("https://127.0.0.1/hook", "OUT_OF_RANGE")]
    [InlineData("https://localhost:8443/hook", "OUT_OF_RANGE")]
    [InlineData("https://api.localhost/hook", "OUT_OF_RANGE")]
    [InlineData("https://10.1.2.3/hook", "OUT_OF_RANGE")]
    [InlineData("https://172.20.0.5/hook", "OUT_OF_RANGE")]
    [InlineData("https://192.168.1.10/hook", "OUT_OF_RANGE")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "OUT_OF_RANGE")] // cloud metadata
    [InlineData("https://100.64.0.1/hook", "OUT_OF_RANGE")]
    [InlineData("https://[::1]/hook", "OUT_OF_RANGE")]
    [InlineData("https://[fd00::1]/hook", "OUT_OF_RANGE")]
    [InlineData("https://[fe80::1]/hook", "OUT_OF_RANGE")]
    [InlineData("https://[::ffff:10.0.0.1]/hook", "OUT_OF_RANGE")]
    [InlineData("https://user:pass@zaak.example.nl/hook", "INVALID_FORMAT")]
    [InlineData("ftp://zaak.example.nl/hook", "INVALID_FORMAT")]
    [InlineData("/hook", "INVALID_FORMAT")]
    public void Outside_Development_only_HTTPS_to_public_addresses_is_accepted(string url, string code)
    {
        var error = Assert.Single(WebhookRules.Validate(url, Filed, allowPrivateTargets: false));
        Assert.Equal(("url", code), (error.Field, error.Code));
    }

    [Theory]
    [InlineData("https://zaak.example.nl/hooks/regelingen")]
    [InlineData("https://93.184.216.34/hook")]
    [InlineData("https://[2a00:1450:4001::1]/hook")]
    public void A_public_HTTPS_endpoint_is_accepted(string url)
    {
        Assert.Empty(WebhookRules.Validate(url, Filed, allowPrivateTargets: false));
    }

    [Fact]
    public void In_Development_a_receiver_on_this_machine_over_HTTP_is_accepted()
    {
        Assert.Empty(WebhookRules.Validate("http://127.0.0.1:5099/hook", Filed, allowPrivateTargets: true));
    }

    [Fact]
    public void Event_types_must_be_named_and_known()
    {
        Assert.Equal([("eventTypes", "REQUIRED")], WebhookRules.Validate("https://zaak.example.nl/h", [], false).Select(e => (e.Field, e.Code)));
        Assert.Equal([("eventTypes[1]", "OUT_OF_RANGE")], WebhookRules.Validate("https://zaak.example.nl/h", [EventTypes.ComplaintFiled, "complaint.filed"], false).Select(e => (e.Field, e.Code)));
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("192.0.2.1", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("172.15.0.1", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2001:db8::1", false)]
    public void Public_means_routable_on_the_internet(string address, bool isPublic)
    {
        Assert.Equal(isPublic, WebhookRules.IsPublic(IPAddress.Parse(address)));
    }
}
