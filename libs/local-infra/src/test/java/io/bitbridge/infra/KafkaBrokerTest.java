package io.bitbridge.infra;

import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.process.SharedState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaBrokerTest {

    @Test
    void childBrokerAcceptsWritesIsSharedAndDiesWithItsOwner(@TempDir Path dir) throws Exception {
        Process owner = new ProcessBuilder("sleep", "300").start();
        SharedState state = new SharedState(dir);
        try {
            KafkaBroker broker = KafkaBroker.shared(state, owner.pid());
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                RecordMetadata written = producer.send(new ProducerRecord<>("infra-test", "k", "v")).get(30, TimeUnit.SECONDS);
                assertEquals(0, written.offset());
            }

            KafkaBroker again = KafkaBroker.shared(state, owner.pid());
            assertEquals(broker.pid(), again.pid(), "a second JVM of the same build reuses the broker");

            owner.destroy();
            ProcessHandle handle = ProcessHandle.of(broker.pid()).orElseThrow();
            handle.onExit().get(60, TimeUnit.SECONDS);
            assertFalse(handle.isAlive(), "the broker must not outlive its owner");
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void takenPortIsOneClearMessage(@TempDir Path dir) throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InfraException e = assertThrows(InfraException.class,
                    () -> KafkaBroker.start(dir, socket.getLocalPort(), ProcessHandle.current().pid()));
            assertTrue(e.getMessage().startsWith("port " + socket.getLocalPort() + " is taken"), e.getMessage());
        }
    }
}
