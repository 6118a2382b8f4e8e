package io.bitbridge.testkit.probe;

import io.bitbridge.common.auth.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** A minimal app inside the testkit's own tests, to prove the harness against real servers. */
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    @Inject
    ProbeMessaging messaging;

    @POST
    @Path("/notes")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.ADMIN)
    @WithTransaction
    public Uni<Long> create(String text) {
        ProbeNote note = new ProbeNote();
        note.text = text;
        return note.<ProbeNote>persist().map(saved -> saved.id);
    }

    @GET
    @Path("/notes/{id}")
    @Produces("text/plain; charset=UTF-8")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<String> read(@PathParam("id") long id) {
        return ProbeNote.<ProbeNote>findById(id).map(note -> {
            if (note == null) {
                throw new NotFoundException();
            }
            return note.text;
        });
    }

    @POST
    @Path("/messages")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.ADMIN)
    public Uni<Void> send(String text) {
        return messaging.send(text);
    }

    @GET
    @Path("/messages")
    @RolesAllowed(Roles.VIEWER)
    public List<String> received() {
        return messaging.received();
    }
}
