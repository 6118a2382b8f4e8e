package io.bitbridge.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.Map;

/**
 * Reads rendered manifests into the Kubernetes API types (fabric8's model; Prometheus Operator's PodMonitor; Strimzi's
 * KafkaTopic), strictly: an unknown or misspelt field fails, where the model classes would otherwise keep it aside as an
 * "additional property" and the API server would drop or refuse it. Only the kinds Bitbridge deploys are known.
 */
final class KubernetesTypes {
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "batch/v1/Job", Job.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class,
            "kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class);

    /** The model classes' catch-all setters are switched off, so unknown fields reach FAIL_ON_UNKNOWN_PROPERTIES. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            });

    private KubernetesTypes() {
    }

    static HasMetadata parse(ObjectNode document) {
        String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalStateException(Kustomize.identity(document) + ": " + kind + " is not a kind Bitbridge deploys");
        }
        try {
            return STRICT.treeToValue(document, type);
        } catch (JsonMappingException e) {
            throw new IllegalStateException(Kustomize.identity(document) + " is not a valid " + kind + ": " + e.getOriginalMessage()
                    + " at " + e.getPathReference(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(Kustomize.identity(document) + ": " + e.getMessage(), e);
        }
    }

    static <T extends HasMetadata> T parse(ObjectNode document, Class<T> type) {
        return type.cast(parse(document));
    }
}
