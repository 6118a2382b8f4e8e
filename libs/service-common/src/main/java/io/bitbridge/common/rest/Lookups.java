package io.bitbridge.common.rest;

import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/** The one "null means not found" rule: a lookup that found nothing fails with the caller's 404 problem. */
public final class Lookups {
    private Lookups() {
    }

    public static <T> Uni<T> orFail(Uni<T> lookup, Supplier<ProblemException> notFound) {
        return lookup.onItem().ifNull().failWith(notFound);
    }
}
