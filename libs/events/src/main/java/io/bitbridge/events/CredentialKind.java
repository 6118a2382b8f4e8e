package io.bitbridge.events;

/** The ways Bitbridge can authenticate to Bitbucket. */
public enum CredentialKind {
    BITBUCKET_CLOUD_OAUTH(Provider.BITBUCKET_CLOUD),
    BITBUCKET_CLOUD_API_TOKEN(Provider.BITBUCKET_CLOUD),
    BITBUCKET_CLOUD_ACCESS_TOKEN(Provider.BITBUCKET_CLOUD),
    BITBUCKET_CLOUD_APP_PASSWORD(Provider.BITBUCKET_CLOUD),
    BITBUCKET_SERVER_TOKEN(Provider.BITBUCKET_SERVER);

    private final Provider provider;

    CredentialKind(Provider provider) {
        this.provider = provider;
    }

    public Provider provider() {
        return provider;
    }
}
