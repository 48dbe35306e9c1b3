using System.Net;
using System.Net.Sockets;

namespace Platform.Tests.Shared;

public static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
