package io.bitbridge.common.auth;

/**
 * The roles and scopes a Bitbridge token can carry (JWT {@code groups} claim). People hold {@link #ADMIN} or
 * {@link #VIEWER}; every service identity holds {@link #SERVICE} plus only the scopes its work needs
 * ({@link ServiceScopes}).
 */
public final class Roles {
    /** Changes configuration and reads secrets meant for people (webhook secrets). Implies {@link #VIEWER}. */
    public static final String ADMIN = "admin";
    /** Reads state: credentials (never their secrets), deliveries, metrics. */
    public static final String VIEWER = "viewer";
    /** Another Bitbridge service: reads metrics and API documents; anything more needs a scope below. */
    public static final String SERVICE = "service";
    /** Scope: read a credential's webhook secrets from credential-service (the gateway verifies deliveries with them). */
    public static final String READ_WEBHOOK_SECRETS = "credentials.webhook-secrets.read";
    /** Scope: read a credential's ready Bitbucket authorization from credential-service (services that call Bitbucket). */
    public static final String READ_AUTHORIZATIONS = "credentials.authorization.read";

    private Roles() {
    }
}
