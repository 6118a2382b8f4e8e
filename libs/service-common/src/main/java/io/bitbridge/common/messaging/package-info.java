/**
 * The one way a Bitbridge service publishes and consumes events (records of {@code libs/events}).
 *
 * <h2>Publishing</h2>
 * Inject {@link io.bitbridge.common.messaging.EventPublisher} and call
 * {@code publish(EventType.X, key, CloudEventHeaders.of(id, EventType.X, source, time), event)}; the stage completes
 * when Kafka acknowledged the record ({@code acks=all}, idempotent producer). A variant takes a deadline
 * ({@link java.lang.System#nanoTime()} scale). No channel configuration: the producer reads the service's
 * {@code kafka.*} settings (bootstrap servers, TLS, SASL, tuning). A blocking caller that must not move on before its
 * output is stored uses {@code publishAndWait}.
 *
 * <h2>Consuming</h2>
 * One {@code @Incoming} method per topic, named after the topic, receiving the raw record and handing it to
 * {@link io.bitbridge.common.messaging.IncomingEvents}:
 * <pre>{@code
 * @Incoming(Topics.PUSH)
 * Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
 *     return incoming.consume(record, PushEvent.class, this::onPush);   // onPush(ReceivedEvent<PushEvent>) -> Uni<Void>
 * }
 * }</pre>
 * A handler that blocks (JDBC, HTTP, JGit) goes through {@code incoming.consumeBlocking(record, Type.class, handler)}
 * instead, which runs it on a worker thread; and in application.properties (the suffix keeps test classes apart; it is empty in production):
 * <pre>
 * mp.messaging.incoming."bitbucket.push.v1".topic=bitbucket.push.v1${bitbridge.topic-suffix}
 * </pre>
 * A handler that writes many events at once reads the channel in batches ({@code ...".batch=true}, the method takes
 * {@code ConsumerRecords<byte[], byte[]>}) and calls {@code incoming.consumeBatch(records, Type.class, handler)}: the
 * handler gets the decoded events together, and if it fails, each record alone with the usual retries and dead letter.
 * A channel whose records of different keys may be handled side by side (one repository's pushes in order, different
 * repositories' at once) is made key-ordered: a {@code @Blocking(ordered = false)} method returning {@code void} that
 * calls {@code incoming.consumeInKeyOrder} (or {@code consumeBlockingInKeyOrder}), and
 * {@code mp.messaging.incoming."<topic>".commit-strategy=key-ordered}; {@code bitbridge.messaging.concurrency}
 * (default 16) records at once per consumer (see {@link io.bitbridge.common.messaging.IncomingEvents}).
 * The consumer group defaults to {@code quarkus.application.name}; set
 * {@code mp.messaging.incoming."<topic>".group.id} only where every instance must read every event.
 *
 * <h2>Failures</h2>
 * A failing handler is retried ({@code bitbridge.messaging.retry.max-attempts}, default 5, exponential backoff from
 * {@code initial-backoff} 200 ms to {@code max-backoff} 10 s, {@code jitter} 0.5); then, or at once for a record
 * that cannot be decoded, the original record goes to {@code Topics.deadLetter(topic, quarkus.application.name)} with
 * {@code dead-letter-*} headers ({@link io.bitbridge.common.messaging.DeadLetterQueue}), a
 * {@link io.bitbridge.common.messaging.DeadLettered} CDI event is fired, and the partition moves on. A handler that fails
 * while Kafka or the service's database is away (an outage: {@link io.bitbridge.common.database.DatabaseReachability}) is
 * tried again with the same backoff until it is back, never dead-lettered, and its offset is committed only after. Handlers must
 * therefore be idempotent (de-duplicate on {@link io.bitbridge.common.messaging.ReceivedEvent#id()}). A shutdown never
 * dead-letters: a handler that fails while the application stops (its database pool closes before the consumers stop)
 * is not retried, and its record is left uncommitted for the next instance (the channels keep the connector's default
 * {@code failure-strategy=fail}).
 *
 * <h2>Acting once</h2>
 * A handler whose effects are not idempotent by content (calls to Bitbucket, events published) is wrapped by
 * {@link io.bitbridge.common.messaging.SeenEvents}: {@code incoming.consume(record, Type.class, seen.once(handler))}
 * (or {@code seen.onceEach(batchHandler)}). An event id it acted on within {@code bitbridge.messaging.duplicates.window}
 * (24 h) is skipped, on every replica; the record lives in the service's own schema ({@code seen_event}, created by
 * the repeatable migration {@code db/service-common/R__seen_events.sql}). The gateway names each webhook event by its
 * content, so a body replayed under a fresh delivery id is such a duplicate.
 */
package io.bitbridge.common.messaging;
