package io.bitbridge.common.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record's handler failed while the application was stopping: the record is neither retried nor dead-lettered, and
 * failing it keeps its offset uncommitted, so the next consumer of its partition (the next instance) reads it again.
 */
final class InterruptedByShutdownException extends RuntimeException {
    InterruptedByShutdownException(ConsumerRecord<?, ?> record, Throwable failure) {
        super(record.topic() + "-" + record.partition() + "@" + record.offset()
                + " is left uncommitted for the next consumer: the application is stopping", failure, false, false);
    }
}
