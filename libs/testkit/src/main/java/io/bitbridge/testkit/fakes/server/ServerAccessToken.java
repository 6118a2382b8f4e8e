package io.bitbridge.testkit.fakes.server;

/**
 * An HTTP access token. A personal token ({@code projectKey == null}) acts as its owner and may be sent as
 * Bearer or as the password in Basic auth; project and repository tokens only work as Bearer and are
 * limited to their project / repository. {@code permission} caps what the token may do.
 */
public record ServerAccessToken(String name, String secret, String ownerSlug, ServerPermission permission,
                                String projectKey, String repositorySlug) {

    boolean isPersonal() {
        return projectKey == null;
    }
}
