package io.bitbridge.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a server (PostgreSQL, another service), so that a test can take the server away
 * without stopping it: {@link #cut()} closes every relayed connection and refuses new ones (the port stops listening,
 * as a server that went down), {@link #restore()} listens again on the same port. With a {@code delay}, every chunk a
 * client sends is held that long before it is passed on (answers flow back at once): a slow link, so that each request
 * across it takes at least that long.
 */
public final class TcpRelay implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final Duration delay;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tcp-relay");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocket listener;
    private boolean closed;

    private TcpRelay(String targetHost, int targetPort, Duration delay) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delay = delay;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    /** A relay to {@code targetHost:targetPort} that passes bytes on at once. */
    public static TcpRelay to(String targetHost, int targetPort) {
        return new TcpRelay(targetHost, targetPort, Duration.ZERO);
    }

    /** A slow link to a loopback port: each chunk a client sends arrives {@code delay} later. */
    public static TcpRelay slowing(int targetPort, Duration delay) {
        return new TcpRelay(InetAddress.getLoopbackAddress().getHostAddress(), targetPort, delay);
    }

    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** The relay's own port, the same before and after a cut. */
    public int port() {
        return port;
    }

    /** Connections accepted so far, over the relay's whole life. */
    public int connections() {
        return accepted.get();
    }

    /** Connections relayed now. */
    public int openConnections() {
        return open.size() / 2;
    }

    /** Closes every relayed connection and stops listening: clients get a reset, then "connection refused". */
    public synchronized void cut() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
        }
        List.copyOf(open).forEach(TcpRelay::closeQuietly);
    }

    /** Listens again on the same port after {@link #cut()}. */
    public synchronized void restore() {
        if (listener == null && !closed) {
            listener = listen(port);
            acceptOn(listener);
        }
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("the relay cannot listen on port " + port, e);
        }
    }

    private void acceptOn(ServerSocket socket) {
        threads.execute(() -> {
            while (!socket.isClosed()) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException closedOrCut) {
                    return;
                }
                accepted.incrementAndGet();
                try {
                    Socket target = new Socket(targetHost, targetPort);
                    client.setTcpNoDelay(true);
                    target.setTcpNoDelay(true);
                    open.add(client);
                    open.add(target);
                    threads.execute(() -> pipe(client, target, delay));
                    threads.execute(() -> pipe(target, client, Duration.ZERO));
                } catch (IOException targetDown) {
                    closeQuietly(client);
                }
            }
        });
    }

    private void pipe(Socket from, Socket to, Duration pause) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed (or the relay was cut): close the other too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
        threads.shutdownNow();
    }
}
