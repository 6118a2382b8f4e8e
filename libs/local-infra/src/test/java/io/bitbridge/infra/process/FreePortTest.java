package io.bitbridge.infra.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void portsAreDistinctFreeAndOutsideTheRangeTheSystemPicksFrom() throws Exception {
        int ephemeralStart = FreePort.ephemeralRangeStart();
        assertTrue(ephemeralStart > 1024, "the range's start read whole: " + ephemeralStart);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePort.find();
            assertTrue(ports.add(port), "handed out twice: " + port);
            assertTrue(port < ephemeralStart, port + " is in the ephemeral range from " + ephemeralStart);
            assertFalse(FreePort.inUse(port));
        }
        // What a bind to port 0 gets (a fake, a relay) is never one of them.
        for (int i = 0; i < 50; i++) {
            try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                assertFalse(ports.contains(any.getLocalPort()), "port 0 bound to " + any.getLocalPort());
            }
        }
        int port = ports.iterator().next();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, taken.getLocalPort());
            assertTrue(FreePort.inUse(port));
        }
    }
}
