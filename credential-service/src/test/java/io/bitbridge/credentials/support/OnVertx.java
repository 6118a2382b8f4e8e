package io.bitbridge.credentials.support;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs reactive work (Hibernate Reactive sessions, transactions) the way a request does: on its own Vert.x context. */
public final class OnVertx {
    private OnVertx() {
    }

    /** Starts {@code work} on a new duplicated context, as each request gets one; the future holds its outcome. */
    public static <T> CompletableFuture<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> work.get().subscribe().with(outcome::complete, outcome::completeExceptionally));
        return outcome;
    }
}
