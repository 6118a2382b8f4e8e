package io.bitbridge.bench;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;

/**
 * The ceiling the gateway is measured against: the same framework, the same path shape and a blocking
 * endpoint that reads the body as a stream, as the gateway does, then answers 202 without any work.
 */
@Path("/webhooks")
public class Bare202Resource {

    @POST
    @Path("/bitbucket-cloud/{credentialId}")
    public Response accept(@PathParam("credentialId") String credentialId, InputStream body) throws IOException {
        body.readAllBytes();
        return Response.accepted().build();
    }
}
