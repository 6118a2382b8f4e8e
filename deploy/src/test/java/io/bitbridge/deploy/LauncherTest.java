package io.bitbridge.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherTest {

    @Test
    void tokenCommandGeneratesTheKeyPairOnceAndPrintsASignedTokenForTheRole(@TempDir Path root) throws Exception {
        StackPaths paths = new StackPaths(root);
        String first = runToken(paths, "admin");
        byte[] key = Files.readAllBytes(paths.privateKey());
        String second = runToken(paths, "viewer");

        String claims = new String(Base64.getUrlDecoder().decode(first.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"groups\":[\"admin\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"https://bitbridge.local\""), claims);
        assertTrue(new String(Base64.getUrlDecoder().decode(second.split("\\.")[1]), StandardCharsets.UTF_8).contains("viewer"));
        assertEquals(new String(key), Files.readString(paths.privateKey()), "the key pair is made once");
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(paths.privateKey()));
    }

    @Test
    void unknownRoleAndBadTtlAreOneLineMessages(@TempDir Path root) {
        StackPaths paths = new StackPaths(root);
        LaunchException role = assertThrows(LaunchException.class,
                () -> Launcher.run(new String[]{"token", "--role", "root"}, paths, new PrintStream(new ByteArrayOutputStream())));
        assertEquals("say which role: ./bitbridge token --role admin|viewer|service", role.getMessage());
        LaunchException ttl = assertThrows(LaunchException.class, () -> Launcher.parseTtl("forever"));
        assertFalse(ttl.getMessage().contains("\n"));
        assertEquals(Duration.ofHours(8), Launcher.parseTtl("8h"));
    }

    @Test
    void aTakenPortStopsTheStartBeforeAnythingRuns(@TempDir Path root) throws Exception {
        StackPaths paths = new StackPaths(root);
        ServerSocket taken;
        try {
            taken = new ServerSocket(ServiceSpec.ALL.get(1).port(), 1, InetAddress.getLoopbackAddress());
        } catch (java.io.IOException alreadyInUse) {
            taken = null; // something else holds it: the preflight must still refuse
        }
        try {
            Stack stack = new Stack(paths, new PrintStream(new ByteArrayOutputStream()), false);
            LaunchException e = assertThrows(LaunchException.class, stack::preflight);
            assertTrue(e.getMessage().matches("port \\d+ \\(.+\\) is taken: stop what listens there .*"), e.getMessage());
            assertFalse(Files.exists(paths.launcherPid()), "nothing was started");
        } finally {
            if (taken != null) {
                taken.close();
            }
        }
    }

    private static String runToken(StackPaths paths, String role) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Launcher.run(new String[]{"token", "--role", role}, paths, new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
