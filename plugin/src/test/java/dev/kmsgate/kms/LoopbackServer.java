package dev.kmsgate.kms;

import org.apache.derby.drda.NetworkServerControl;

import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** A real Derby Network Server on 127.0.0.1 and a free port, for the tests of network mode. */
public final class LoopbackServer implements AutoCloseable {

    private final NetworkServerControl server;
    private final int port;

    private LoopbackServer(NetworkServerControl server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts the server and waits until it answers a ping. */
    public static LoopbackServer start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        NetworkServerControl server = new NetworkServerControl(InetAddress.getByName("127.0.0.1"), port);
        server.start(new PrintWriter(Writer.nullWriter()));
        for (int i = 0; ; i++) {
            try {
                server.ping();
                return new LoopbackServer(server, port);
            } catch (Exception notYet) {
                if (i > 100) {
                    server.shutdown();
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The client URL of the database in {@code directory}, naming the server by {@code host}. */
    public String url(String host, Path directory) {
        return "jdbc:derby://" + host + ":" + port + "/" + directory;
    }

    @Override
    public void close() throws Exception {
        server.shutdown();
    }
}
