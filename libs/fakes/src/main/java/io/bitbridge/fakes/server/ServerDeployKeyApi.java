package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.server.ServerModel.Caller;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Repository access (deploy) keys below {@code /rest/keys/1.0/projects/{key}/repos/{slug}/ssh}, as flux registers
 * them: {@code GET} (paged), {@code POST {"key":{"text","label"},"permission":"REPO_READ|REPO_WRITE"}} (201),
 * {@code GET|DELETE .../ssh/{id}}. REPO_ADMIN is needed (401 otherwise).
 */
final class ServerDeployKeyApi {

    private static final String VALIDATION = "com.atlassian.bitbucket.validation.ArgumentValidationException";

    private final BitbucketServerFake fake;

    ServerDeployKeyApi(BitbucketServerFake fake) {
        this.fake = fake;
    }

    /** {@code segments} are the decoded path segments after {@code rest/keys/<version>}. */
    FakeResponse handle(FakeRequest request, List<String> segments, Caller caller) {
        if (caller.isAnonymous()) {
            return ServerRestApi.unauthorised();
        }
        int n = segments.size();
        if (n < 5 || !segments.get(0).equals("projects") || !segments.get(2).equals("repos") || !segments.get(4).equals("ssh")) {
            return ServerJson.error(404, null, "No REST resource at " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
        }
        Optional<ServerRepository> found = fake.model().repository(segments.get(1), segments.get(3));
        if (found.isEmpty()) {
            return ServerJson.error(404, null, "Repository " + segments.get(1) + "/" + segments.get(3) + " does not exist.",
                    "com.atlassian.bitbucket.repository.NoSuchRepositoryException");
        }
        ServerRepository repository = found.get();
        if (!fake.rest().may(caller, repository, ServerPermission.REPO_ADMIN)) {
            return ServerRestApi.forbidden("You are not permitted to manage access keys of this repository");
        }
        if (n == 5) {
            return switch (request.method()) {
                case "GET" -> ServerRestApi.paged(request, repository.deployKeys(), k -> render(k, repository));
                case "POST" -> create(request, repository);
                default -> ServerRestApi.methodNotAllowed(request.method());
            };
        }
        ServerDeployKey key = n == 6 ? repository.deployKeys().stream()
                .filter(k -> Integer.toString(k.id()).equals(segments.get(5))).findFirst().orElse(null) : null;
        if (key == null) {
            return ServerJson.error(404, null, "No access key " + segments.get(n - 1) + " on this repository.",
                    "com.atlassian.bitbucket.ssh.NoSuchSshKeyException");
        }
        return switch (request.method()) {
            case "GET" -> FakeResponse.json(200, render(key, repository));
            case "DELETE" -> {
                repository.removeDeployKey(key.id());
                yield FakeResponse.empty(204);
            }
            default -> ServerRestApi.methodNotAllowed(request.method());
        };
    }

    private FakeResponse create(FakeRequest request, ServerRepository repository) {
        JsonNode body = ServerRestApi.jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", VALIDATION);
        }
        String permission = body.path("permission").asText("");
        if (!permission.equals("REPO_READ") && !permission.equals("REPO_WRITE")) {
            return ServerJson.error(400, "permission", "Access keys may have REPO_READ or REPO_WRITE.", VALIDATION);
        }
        String text = body.path("key").path("text").asText("").trim();
        Optional<ServerDeployKey> parsed = parse(text, body.path("key").path("label").asText(null), permission);
        if (parsed.isEmpty()) {
            return ServerJson.error(400, "text", "The SSH key is not a valid OpenSSH public key.", VALIDATION);
        }
        if (repository.deployKeys().stream().anyMatch(k -> k.fingerprint().equals(parsed.get().fingerprint()))) {
            return ServerJson.error(400, "text", "This SSH key is already an access key of the repository.", VALIDATION);
        }
        ServerDeployKey key = parsed.get().withId(fake.model().nextKeyId());
        repository.addDeployKey(key);
        return FakeResponse.json(201, render(key, repository));
    }

    /** {@code <type> <base64 blob> [comment]}, the blob's own type matching; null when malformed. */
    static Optional<ServerDeployKey> parse(String text, String label, String permission) {
        String[] parts = text.split("\\s+", 3);
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            ByteBuffer buffer = ByteBuffer.wrap(blob);
            String type = new String(next(buffer), StandardCharsets.US_ASCII);
            if (!type.equals(parts[0])) {
                return Optional.empty();
            }
            int bits;
            String algorithm;
            if (type.equals("ssh-rsa")) {
                next(buffer); // public exponent
                bits = new BigInteger(next(buffer)).bitLength();
                algorithm = "RSA";
            } else if (type.equals("ssh-ed25519")) {
                bits = 256;
                algorithm = "ED25519";
            } else if (type.startsWith("ecdsa-sha2-nistp")) {
                bits = Integer.parseInt(type.substring("ecdsa-sha2-nistp".length()));
                algorithm = "EC";
            } else {
                return Optional.empty();
            }
            String fingerprint = Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
            String effectiveLabel = label != null ? label : parts.length == 3 ? parts[2] : null;
            return Optional.of(new ServerDeployKey(0, text, effectiveLabel, permission, algorithm, bits, fingerprint, Instant.now()));
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | NoSuchAlgorithmException malformed) {
            return Optional.empty();
        }
    }

    private static byte[] next(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("truncated key");
        }
        byte[] value = new byte[length];
        buffer.get(value);
        return value;
    }

    private ObjectNode render(ServerDeployKey key, ServerRepository repository) {
        ObjectNode node = FakeJson.object();
        ObjectNode keyNode = node.putObject("key")
                .put("id", key.id())
                .put("text", key.text());
        if (key.label() != null) {
            keyNode.put("label", key.label());
        }
        keyNode.put("algorithmType", key.algorithm())
                .put("bitLength", key.bitLength())
                .put("createdDate", key.createdDate().toString())
                .put("fingerprint", key.fingerprint());
        node.set("repository", fake.json().repository(repository));
        node.put("permission", key.permission());
        return node;
    }
}
