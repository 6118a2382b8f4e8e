package io.bitbridge.bitbucket.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one webhook may speak for, and the secret and URL token it gets. Every hook carries its own secret, derived
 * from the credential's root secret and the hook's scope: {@code owner/slug} (lower case) for a repository hook,
 * {@code owner} for a Cloud workspace hook or a Server project hook. Bitbucket Server shows a hook's configuration,
 * secret included, to the repository's admins; with one secret per credential the admin of one repository could sign
 * events for every other. The gateway derives the candidates from the repository a body names (its repository
 * scope, then its owner scope), so a secret signs only for its own repository or owner.
 * The root secret itself leaves credential-service only towards the gateway.
 */
public record HookScope(String value) {
    private static final Pattern PART = Pattern.compile("[^/\\s]+");
    private static final String SECRET_LABEL = "bitbridge webhook secret\n";
    private static final String TOKEN_LABEL = "bitbridge webhook url token\n";

    public HookScope {
        if (!isValid(value)) {
            throw new IllegalArgumentException("a hook scope is owner or owner/slug");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    public static HookScope repository(String owner, String slug) {
        return new HookScope(owner + "/" + slug);
    }

    public static HookScope owner(String owner) {
        return new HookScope(owner);
    }

    /** {@code owner} or {@code owner/slug}: one or two non-empty parts without blanks. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > 400) {
            return false;
        }
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            return false;
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The scopes a delivery naming this repository may be signed for: the repository's, then its owner's. */
    public static List<HookScope> candidates(String owner, String slug) {
        List<HookScope> scopes = new ArrayList<>(2);
        if (owner != null && isValid(owner)) {
            if (slug != null && isValid(owner + "/" + slug)) {
                scopes.add(repository(owner, slug));
            }
            scopes.add(owner(owner));
        }
        return scopes;
    }

    /** The secret of a hook of this scope, derived from the credential's root secret. */
    public String secret(String rootSecret) {
        return WebhookSignature.hmacHex(rootSecret, SECRET_LABEL + value);
    }

    /**
     * The {@code ?token=} of a hook of this scope, for senders that cannot sign. Derived apart from the secret, so a
     * leaked URL does not also give away a signing key.
     */
    public String urlToken(String rootSecret) {
        return WebhookSignature.hmacHex(rootSecret, TOKEN_LABEL + value);
    }

    @Override
    public String toString() {
        return value;
    }
}
