package io.bitbridge.fakes.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away CA and a server certificate it signed (SAN 127.0.0.1 and localhost), made with the JDK's keytool at
 * test time, for a fake served behind a {@link TlsFront}. {@code serverKeyStore} is a PKCS#12 store with the server key and chain.
 */
public record TestCa(String caPem, Path serverKeyStore, char[] password) {
    private static final String PASSWORD = "changeit";

    public static TestCa generate() {
        try {
            Path dir = Files.createTempDirectory("bitbridge-test-ca");
            dir.toFile().deleteOnExit();
            Path ca = dir.resolve("ca.p12");
            Path server = dir.resolve("server.p12");
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Bitbridge Test CA",
                    "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                    "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            Path request = dir.resolve("server.csr");
            keytool(dir, "-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", PASSWORD, "-file", request.toString());
            Path signed = dir.resolve("server.pem");
            keytool(dir, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-infile", request.toString(),
                    "-outfile", signed.toString(), "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-validity", "2", "-rfc");
            Path caPem = dir.resolve("ca.pem");
            keytool(dir, "-exportcert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-rfc", "-file", caPem.toString());
            keytool(dir, "-importcert", "-alias", "ca", "-file", caPem.toString(), "-keystore", server.toString(), "-storepass", PASSWORD, "-noprompt");
            keytool(dir, "-importcert", "-alias", "server", "-file", signed.toString(), "-keystore", server.toString(), "-storepass", PASSWORD);
            return new TestCa(Files.readString(caPem, StandardCharsets.US_ASCII), server, PASSWORD.toCharArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test CA", e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
