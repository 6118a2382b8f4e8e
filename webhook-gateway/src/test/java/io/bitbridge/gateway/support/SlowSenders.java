package io.bitbridge.gateway.support;

import io.bitbridge.events.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections that send a webhook's headers at once and then its body one byte a second (a "slow body" sender), all
 * from one thread, so they cost the test nothing while they hold their connections open.
 */
public final class SlowSenders implements AutoCloseable {
    /** Over the HTTP layer's in-memory input buffer (10 KiB), so a server that reads bodies as streams parks a thread on each. */
    private static final int DECLARED_LENGTH = 64 * 1024;

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    public SlowSenders(int port, Provider provider, String credentialId, int connections) throws IOException {
        byte[] head = ("POST " + Webhooks.path(provider, credentialId) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nX-Event-Key: repo:push\r\nContent-Length: " + DECLARED_LENGTH + "\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(head);
            socket.getOutputStream().flush();
            sockets.add(socket);
        }
        trickle.scheduleAtFixedRate(this::oneByteEach, 1, 1, TimeUnit.SECONDS);
    }

    private void oneByteEach() {
        for (Socket socket : sockets) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(' ');
                out.flush();
            } catch (IOException closedByTheServer) {
                // answered and closed: nothing more to send there
            }
        }
    }

    /** The status line and headers each connection was answered with (an empty string where none came). */
    public List<String> answers() throws IOException {
        trickle.shutdownNow();
        List<String> answers = new ArrayList<>();
        for (Socket socket : sockets) {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = readOrEnd(in)) != -1) {
                head.append((char) b);
            }
            answers.add(head.toString());
        }
        return answers;
    }

    private static int readOrEnd(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        trickle.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
