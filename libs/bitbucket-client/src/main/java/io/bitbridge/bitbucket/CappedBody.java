package io.bitbridge.bitbucket;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads an answer into memory up to a cap: a larger one (announced by {@code Content-Length} or found while reading)
 * stops the transfer, so a hostile or broken server cannot fill the heap.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final int status;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private CappedBody(long max, int status) {
        this.max = max;
        this.status = status;
    }

    static HttpResponse.BodyHandler<byte[]> handler(long max) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            CappedBody subscriber = new CappedBody(max, info.statusCode());
            if (declared > max) {
                subscriber.body.completeExceptionally(new TooLarge(info.statusCode()));
            }
            return subscriber;
        };
    }

    /** The status of the answer that was too large, when {@code failure} is that. */
    static OptionalInt exceeded(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooLarge tooLarge) {
                return OptionalInt.of(tooLarge.status);
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (body.isDone()) {
            subscription.cancel();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > max) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge(status));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable failure) {
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    private static final class TooLarge extends IOException {
        final int status;

        TooLarge(int status) {
            super("the answer exceeds the size cap", null);
            this.status = status;
        }
    }
}
