using System.Runtime.ExceptionServices;
using Platform.Gateway.GraphQL.Types;

namespace Platform.Gateway.Tests;

public sealed class GlobalIdTests
{
    [Fact]
    public void A_global_id_decodes_to_its_type_and_key()
    {
        Assert.True(GlobalId.TryDecode(GlobalId.Encode("Arrangement", "afval-nhn"), out var type, out var key));
        Assert.Equal(("Arrangement", "afval-nhn"), (type, key));
        Assert.Equal("afval-nhn", GlobalId.KeyOf("Arrangement", GlobalId.Encode("Arrangement", "afval-nhn")));
    }

    [Theory]
    [InlineData("afval-nhn")]
    [InlineData("p-demo-bouwpuin")]
    [InlineData("a")]
    [InlineData("!!!")]
    [InlineData("QUJD")]
    [InlineData("QQ==")]
    public void A_plain_key_is_no_global_id_and_costs_no_exception(string id)
    {
        var thread = Environment.CurrentManagedThreadId;
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread) Interlocked.Increment(ref thrown);
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            Assert.False(GlobalId.TryDecode(id, out _, out _));
            Assert.Equal(id, GlobalId.KeyOf("Arrangement", id));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        Assert.Equal(0, thrown);
    }
}
