using System.Net;
using System.Net.Sockets;

namespace Platform.Tests.Shared;

public static class LoopbackPort
{
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A port on 127.0.0.1 that was free a moment ago (the OS picks it), and never one this process was given before:
    /// the OS may hand a port it just gave out again once its listener closed, and two processes told the same port
    /// leave one of them unable to start (seen in the rolling rehearsal: two gateways on one port).
    /// </summary>
    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
            {
                if (Given.Add(port)) return port;
            }
        }
    }
}
