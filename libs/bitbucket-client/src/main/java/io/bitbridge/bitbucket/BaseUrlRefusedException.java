package io.bitbridge.bitbucket;

/**
 * A request refused unsent by the endpoint's {@link BaseUrlPolicy}: plain http or an internal address that the service's
 * {@code bitbridge.outbound.*} settings do not allow. Not transient: the same URL is refused again.
 */
public final class BaseUrlRefusedException extends RuntimeException {
    public BaseUrlRefusedException(String message) {
        super(message);
    }
}
