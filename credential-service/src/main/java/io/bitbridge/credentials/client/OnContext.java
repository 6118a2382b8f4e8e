package io.bitbridge.credentials.client;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Hibernate Reactive only works on the Vert.x context that opened the session. Calls that block (the
 * Bitbucket REST client) or complete elsewhere (the OIDC client) are brought back to the caller's context here.
 */
public final class OnContext {
    private OnContext() {
    }

    /** Runs blocking {@code work} on a worker thread and delivers its result on the current Vert.x context. */
    public static <T> Uni<T> blocking(Supplier<T> work) {
        return resume(Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** Delivers {@code uni}'s item or failure on the Vert.x context current at subscription. */
    public static <T> Uni<T> resume(Uni<T> uni) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }
}
