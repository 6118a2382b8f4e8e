package io.bitbridge.deploy;

import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Topics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every topic with what the deployment and the AsyncAPI document need to know: its event type (record, schema, key,
 * compaction, from libs/events), the service producing it and the services consuming it. Consumers are read from
 * each service's {@code @Incoming} channels and their {@code mp.messaging.incoming} settings; producers are declared
 * here and checked against the sources by {@code TopicCatalogueTest}.
 */
record TopicCatalogue(List<Topic> topics) {
    /**
     * Partitions of every topic in a cluster: each instance of a consumer service runs {@code concurrency} consumers of
     * a topic (3 for the push topics), so 12 partitions keep up to 4 replicas' consumers busy. Partitions can only grow
     * later, and growing them moves a repository's next records to another partition: start with room.
     */
    static final int PARTITIONS = 12;

    /** Who publishes each event type; gitops.commit-requests.v1 comes from other systems (pipelines, tools). */
    static final Map<EventType, String> PRODUCERS = producers();

    /** A service reading a topic: in a consumer group of its own per instance or shared, with this many consumers per instance. */
    record Consumer(String service, boolean everyInstance, int concurrency) {
    }

    record Topic(EventType type, Optional<String> producer, List<Consumer> consumers) {
        String name() {
            return type.topic();
        }

        /** Where each consumer puts the records it gave up on (common.messaging.DeadLetterQueue). */
        List<String> deadLetterTopics() {
            return consumers.stream().map(c -> Topics.deadLetter(name(), c.service())).toList();
        }
    }

    static TopicCatalogue read(List<ServiceSpec> services) {
        Map<EventType, List<Consumer>> consumers = new EnumMap<>(EventType.class);
        for (ServiceSpec spec : services) {
            ServiceSources sources = ServiceSources.of(spec.name());
            Map<String, String> configuration = sources.configuration();
            for (String channel : new TreeSet<>(incomingChannels(sources))) {
                String prefix = "mp.messaging.incoming.\"" + channel + "\".";
                String topic = configuration.getOrDefault(prefix + "topic", channel).replace("${bitbridge.topic-suffix}", "");
                EventType type = Arrays.stream(EventType.values()).filter(t -> t.topic().equals(topic)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(spec.name() + " reads " + topic + ", which no EventType names"));
                boolean everyInstance = configuration.getOrDefault(prefix + "group.id", "").contains("${quarkus.uuid}");
                int concurrency = Integer.parseInt(configuration.getOrDefault(prefix + "concurrency", "1").trim());
                consumers.computeIfAbsent(type, t -> new ArrayList<>()).add(new Consumer(spec.name(), everyInstance, concurrency));
            }
        }
        return new TopicCatalogue(Arrays.stream(EventType.values())
                .map(type -> new Topic(type, Optional.ofNullable(PRODUCERS.get(type)), List.copyOf(consumers.getOrDefault(type, List.of()))))
                .toList());
    }

    /** The channels of the service's own {@code @Incoming} methods ({@code Topics.X} constants or string literals). */
    static List<String> incomingChannels(ServiceSources sources) {
        return sources.ownSources().stream()
                .flatMap(unit -> unit.findAll(AnnotationExpr.class, a -> a.getNameAsString().equals("Incoming")).stream())
                .map(a -> channelName(((SingleMemberAnnotationExpr) a).getMemberValue()))
                .toList();
    }

    private static String channelName(Expression value) {
        if (value instanceof StringLiteralExpr literal) {
            return literal.getValue();
        }
        if (value instanceof FieldAccessExpr field && field.getScope().toString().equals("Topics")) {
            try {
                return (String) Topics.class.getField(field.getNameAsString()).get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("@Incoming(" + value + "): no such constant in Topics", e);
            }
        }
        throw new IllegalStateException("@Incoming(" + value + "): name the channel with a Topics constant or a string");
    }

    List<String> deadLetterTopics() {
        return topics.stream().flatMap(t -> t.deadLetterTopics().stream()).toList();
    }

    private static Map<EventType, String> producers() {
        Map<EventType, String> producers = new EnumMap<>(EventType.class);
        producers.put(EventType.PUSH, "webhook-gateway");
        producers.put(EventType.PULL_REQUEST, "webhook-gateway");
        producers.put(EventType.PUSH_EXPANDED, "scraper-service");
        producers.put(EventType.REPOSITORY_CATALOG, "scraper-service");
        producers.put(EventType.CREDENTIAL_LIFECYCLE, "credential-service");
        producers.put(EventType.TASK_LINK, "commit-tracker");
        producers.put(EventType.BUILD_TRIGGER, "build-trigger");
        producers.put(EventType.GITOPS_COMMIT_RESULT, "gitops-writer");
        producers.put(EventType.GITOPS_SYNC, "gitops-writer");
        return Map.copyOf(producers);
    }
}
