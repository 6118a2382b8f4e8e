package io.bitbridge.common.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Topics made ahead of the services that use them (the launcher, the test resources), so no consumer starts on a topic
 * the broker has yet to create: such a consumer is assigned the topic only at a later metadata refresh and, starting at
 * the latest offset, skips what was published before.
 */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /**
     * Creates the topics with {@code partitions} partitions (empty: the broker's default), waiting up to 30 s; topics the
     * broker already has are left as they are.
     */
    public static void create(String bootstrapServers, Collection<String> topics, Optional<Integer> partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var results = admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, partitions, Optional.empty())).toList())
                    .values();
            for (var result : results.values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create the topics " + topics, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create the topics " + topics + " within 30 s", e);
        }
    }
}
