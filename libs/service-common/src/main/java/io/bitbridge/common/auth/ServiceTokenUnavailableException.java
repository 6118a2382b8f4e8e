package io.bitbridge.common.auth;

import jakarta.ws.rs.ProcessingException;

/**
 * No service token could be had (the issuer is down, slow, or refused this service's client): the outgoing call cannot
 * be made now. A {@link ProcessingException}, so a REST caller treats it as it treats an unreachable service.
 */
public class ServiceTokenUnavailableException extends ProcessingException {
    public ServiceTokenUnavailableException(Throwable cause) {
        // The class of the cause only: an issuer's answer is no business of a log line.
        super("no service token from the issuer: " + cause.getClass().getSimpleName(), cause);
    }
}
