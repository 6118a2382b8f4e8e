package io.bitbridge.infra.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

public final class FreePort {
    /**
     * Ports handed out are taken from below the kernel's ephemeral range: a port the system picked for a bind to port 0
     * is free again once that socket closes, and the next bind to port 0 (a fake, a relay) may get it before the
     * process it was meant for listens on it. Below that range only an explicit bind takes a port.
     */
    private static final int LOWEST = 20000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePort() {
    }

    /** A loopback port nothing listens on now, never handed out before by this JVM. */
    public static int find() {
        int ceiling = ephemeralRangeStart();
        for (int attempt = 0; ceiling - LOWEST > 1000 && attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ceiling);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        return systemChosen();
    }

    /** True when something accepts TCP connections on 127.0.0.1:port. */
    public static boolean inUse(int port) {
        return answers("127.0.0.1", port, 300);
    }

    public static boolean answers(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int systemChosen() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first port of Linux's ephemeral range ({@code ip_local_port_range}); 32768 where it cannot be read. Read by line:
     * {@code Files.readString} has been seen to return only the first byte of this /proc file.
     */
    public static int ephemeralRangeStart() {
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
