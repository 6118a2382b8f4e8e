package io.bitbridge.common.auth;

/** The three roles a Bitbridge token can carry (JWT {@code groups} claim). */
public final class Roles {
    /** Changes configuration and reads secrets meant for people (webhook secrets). Implies {@link #VIEWER}. */
    public static final String ADMIN = "admin";
    /** Reads state: credentials (never their secrets), deliveries, metrics. */
    public static final String VIEWER = "viewer";
    /** Another Bitbridge service, e.g. the gateway asking credential-service for webhook secrets. */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
