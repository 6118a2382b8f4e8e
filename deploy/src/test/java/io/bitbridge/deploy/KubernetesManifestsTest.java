package io.bitbridge.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes rendered as {@code kubectl apply -k} would, each overlay parsed strictly into the Kubernetes API
 * types, and checked against what the services need: every setting they read without a usable default, health
 * probes, the security context, scaling, the public entry, metrics and the topics.
 */
class KubernetesManifestsTest {
    static final Path OVERLAYS = Path.of("kubernetes", "overlays");
    private static final String GATEWAY = "webhook-gateway";
    private static final String CREDENTIAL_SERVICE = "credential-service";

    /** One rendered overlay, its documents parsed into the API types. */
    record Rendered(List<HasMetadata> objects) {
        static Rendered of(String overlay) {
            return new Rendered(Kustomize.build(OVERLAYS.resolve(overlay)).stream().map(KubernetesTypes::parse).toList());
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T named(Class<T> type, String name) {
            return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
        }

        Container container(String service) {
            return named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
        }

        /** The environment variable names a container gets: its own and those of the ConfigMaps it takes whole. */
        Set<String> environment(Container container) {
            Set<String> names = container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toCollection(TreeSet::new));
            for (EnvFromSource source : container.getEnvFrom()) {
                if (source.getConfigMapRef() != null) {
                    names.addAll(named(ConfigMap.class, source.getConfigMapRef().getName()).getData().keySet());
                }
            }
            return names;
        }

        String setting(String name) {
            return named(ConfigMap.class, "bitbridge-common").getData().get(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "strimzi"})
    void everyOverlayRendersToValidKubernetesObjectsOncePerName(String overlay) {
        List<ObjectNode> documents = Kustomize.build(OVERLAYS.resolve(overlay));
        Set<String> seen = new HashSet<>();
        for (ObjectNode document : documents) {
            assertNotNull(KubernetesTypes.parse(document));
            assertTrue(seen.add(Kustomize.identity(document)), overlay + " renders " + Kustomize.identity(document) + " twice");
        }
        Rendered rendered = Rendered.of(overlay);
        rendered.objects().stream().filter(o -> !(o instanceof KafkaTopic))
                .forEach(o -> assertEquals("bitbridge", o.getMetadata().getNamespace(), o.getKind() + " " + o.getMetadata().getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "strimzi"})
    void everySettingAServiceReadsWithoutAUsableDefaultIsGivenInItsDeployment(String overlay) {
        Rendered rendered = Rendered.of(overlay);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Set<String> environment = rendered.environment(rendered.container(spec.name()));
            List<String> missing = RequiredSettings.of(ServiceSources.of(spec.name())).stream()
                    .filter(r -> !r.satisfiedBy(environment))
                    .map(r -> r.property() + " (" + r.why() + "; set one of " + r.environmentNames() + ")").toList();
            assertEquals(List.of(), missing, overlay + ": " + spec.name() + " is not given what it needs");
            List<String> unread = rendered.container(spec.name()).getEnv().stream().map(EnvVar::getName)
                    .filter(RequiredSettings.reads(ServiceSources.of(spec.name())).negate()).toList();
            assertEquals(List.of(), unread, overlay + ": " + spec.name() + " reads no such variable");
        }
    }

    @Test
    void theSettingsScanFindsWhatTheOldManifestLacked() {
        Map<String, Set<String>> neededBy = new LinkedHashMap<>();
        for (String service : List.of(CREDENTIAL_SERVICE, GATEWAY)) {
            neededBy.put(service, RequiredSettings.of(ServiceSources.of(service)).stream()
                    .flatMap(r -> r.environmentNames().stream().limit(1)).collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        // The secrets-at-rest key has no default at all; the others default to this machine.
        assertTrue(neededBy.get(CREDENTIAL_SERVICE).containsAll(List.of("BITBRIDGE_CRYPTO_KEY", "BITBRIDGE_PUBLIC_BASE_URL",
                "KAFKA_BOOTSTRAP_SERVERS", "BITBRIDGE_DB_LOCATION", "BITBRIDGE_AUTH_ISSUER",
                "BITBRIDGE_AUTH_PUBLIC_KEY_LOCATION", "BITBRIDGE_AUTH_OIDC_CLIENT_AUTH_SERVER_URL", "BITBRIDGE_AUTH_OIDC_CLIENT_SECRET")),
                neededBy.get(CREDENTIAL_SERVICE).toString());
        assertTrue(neededBy.get(GATEWAY).contains("BITBRIDGE_CREDENTIAL_SERVICE_URL"), neededBy.get(GATEWAY).toString());
        assertFalse(neededBy.get(GATEWAY).contains("BITBRIDGE_CRYPTO_KEY"), "the gateway holds no secrets at rest");

        Rendered rendered = Rendered.of("production");
        Set<String> withoutKey = new HashSet<>(rendered.environment(rendered.container(CREDENTIAL_SERVICE)));
        withoutKey.remove("BITBRIDGE_CRYPTO_KEY");
        assertEquals(List.of("bitbridge.crypto.keys.k1"), RequiredSettings.of(ServiceSources.of(CREDENTIAL_SERVICE)).stream()
                .filter(r -> !r.satisfiedBy(withoutKey)).map(RequiredSettings.Requirement::property).toList());
    }

    @Test
    void configurationExpressionsAreReadWithTheirDefaults() {
        List<String[]> found = RequiredSettings.expressions("${A:${java.io.tmpdir}/x}-${B}");
        assertEquals(List.of("A|${java.io.tmpdir}/x", "java.io.tmpdir|null", "B|null"),
                found.stream().map(e -> e[0] + "|" + e[1]).toList());
        assertEquals("BITBRIDGE_AUTH_OIDC_CLIENT_AUTH_SERVER_URL", RequiredSettings.environmentName("bitbridge.auth.oidc-client.auth-server-url"));
    }

    @Test
    void eachServiceRunsAsListedWithProbesLimitsAndALockedDownPod() {
        Rendered rendered = Rendered.of("production");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Deployment deployment = rendered.named(Deployment.class, spec.name());
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = rendered.container(spec.name());
            String name = spec.name();
            assertEquals(spec.replicas(), deployment.getSpec().getReplicas(), name);
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(),
                    subset(deployment.getSpec().getTemplate().getMetadata().getLabels(), deployment.getSpec().getSelector().getMatchLabels().keySet()), name);
            assertEquals(spec.port(), container.getPorts().get(0).getContainerPort(), name);
            assertEquals(String.valueOf(spec.port()), container.getEnv().stream().filter(e -> e.getName().equals("BITBRIDGE_HTTP_PORT"))
                    .findFirst().orElseThrow().getValue(), name);
            Service service = rendered.named(Service.class, name);
            assertEquals(spec.port(), service.getSpec().getPorts().get(0).getPort(), name);
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector(), name);

            assertProbe(container.getReadinessProbe(), "/q/health/ready", name);
            assertProbe(container.getLivenessProbe(), "/q/health/live", name);
            assertNotNull(container.getResources().getRequests().get("cpu"), name);
            assertNotNull(container.getResources().getLimits().get("memory"), name);
            assertTrue(container.getImage().startsWith("registry.example.com/bitbridge/" + name + ":"), container.getImage());

            PodSecurityContext podSecurity = pod.getSecurityContext();
            assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), name);
            SecurityContext security = container.getSecurityContext();
            assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), name);
            assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), name);
            assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), name);
            String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " needs a writable /tmp")).getName();
            assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst().orElseThrow().getEmptyDir(), name);
            assertTrue(deployment.getSpec().getTemplate().getMetadata().getAnnotations() == null
                    || deployment.getSpec().getTemplate().getMetadata().getAnnotations().keySet().stream().noneMatch(k -> k.startsWith("prometheus.io/")),
                    name + ": annotation scrapes cannot send the token /q/metrics needs; the PodMonitor does");
        }
    }

    @Test
    void theGatewayAndEveryConsumerScaleUpToWhatTheirPartitionsAllow() {
        Rendered rendered = Rendered.of("production");
        TopicCatalogue topics = TopicCatalogue.read(ServiceSpec.ALL);
        Map<String, HorizontalPodAutoscaler> autoscalers = rendered.all(HorizontalPodAutoscaler.class).stream()
                .collect(Collectors.toMap(h -> h.getSpec().getScaleTargetRef().getName(), h -> h));
        Set<String> consumers = topics.topics().stream().flatMap(t -> t.consumers().stream())
                .filter(c -> !c.everyInstance()).map(TopicCatalogue.Consumer::service).collect(Collectors.toSet());
        assertEquals(union(Set.of(GATEWAY), consumers), autoscalers.keySet());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            HorizontalPodAutoscaler autoscaler = autoscalers.get(spec.name());
            if (autoscaler == null) {
                continue;
            }
            rendered.named(Deployment.class, autoscaler.getSpec().getScaleTargetRef().getName());
            assertEquals(spec.replicas(), autoscaler.getSpec().getMinReplicas(), spec.name());
            assertTrue(autoscaler.getSpec().getMaxReplicas() > spec.replicas() || spec.replicas() >= TopicCatalogue.PARTITIONS, spec.name());
            if (consumers.contains(spec.name())) {
                int perInstance = topics.topics().stream().flatMap(t -> t.consumers().stream())
                        .filter(c -> c.service().equals(spec.name()) && !c.everyInstance())
                        .mapToInt(TopicCatalogue.Consumer::concurrency).max().orElseThrow();
                assertTrue(autoscaler.getSpec().getMaxReplicas() * perInstance <= Math.max(spec.replicas() * perInstance, TopicCatalogue.PARTITIONS),
                        spec.name() + ": more consumers than partitions sit idle");
                assertTrue(autoscaler.getSpec().getMaxReplicas() > spec.replicas(), spec.name() + ": room to scale");
            }
        }
    }

    @Test
    void onlyTheWebhooksAndTheOAuthCallbackAreReachableFromOutside() {
        Rendered rendered = Rendered.of("production");
        Map<String, String> routes = new TreeMap<>();
        for (Ingress ingress : rendered.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    routes.put(path.getPath(), path.getBackend().getService().getName());
                }
            });
        }
        assertEquals(Map.of("/oauth", CREDENTIAL_SERVICE, "/webhooks", GATEWAY), routes);

        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);
        assertTrue(policies.stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector().getMatchLabels())
                && isEmpty(p.getSpec().getPodSelector().getMatchExpressions()) && isEmpty(p.getSpec().getIngress())
                && p.getSpec().getPolicyTypes().contains("Ingress")), "a policy must deny every connection nothing else allows");
        for (NetworkPolicy policy : policies) {
            List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress() == null ? List.of() : policy.getSpec().getIngress();
            for (NetworkPolicyIngressRule rule : rules) {
                assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), policy.getMetadata().getName() + " lets anyone in");
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertTrue(peer.getIpBlock() == null, policy.getMetadata().getName() + " lets addresses in");
                    Map<String, String> namespace = peer.getNamespaceSelector() == null ? Map.of() : peer.getNamespaceSelector().getMatchLabels();
                    if ("ingress-nginx".equals(namespace.get("kubernetes.io/metadata.name"))) {
                        assertEquals(Set.of(GATEWAY, CREDENTIAL_SERVICE), selectedServices(policy, rendered), policy.getMetadata().getName());
                    }
                }
            }
        }
    }

    @Test
    void hooksAndTheOAuthCallbackAreRegisteredAtTheIngressHost() {
        Rendered rendered = Rendered.of("production");
        URI publicBase = URI.create(rendered.setting("BITBRIDGE_PUBLIC_BASE_URL"));
        assertEquals("https", publicBase.getScheme(), "Bitbucket delivers to a public HTTPS URL");
        Ingress ingress = rendered.named(Ingress.class, "bitbridge-public");
        assertEquals(publicBase.getHost(), ingress.getSpec().getRules().get(0).getHost());
        assertEquals(List.of(publicBase.getHost()), ingress.getSpec().getTls().get(0).getHosts());
        assertEquals("http://" + CREDENTIAL_SERVICE + ":" + port(CREDENTIAL_SERVICE), rendered.setting("BITBRIDGE_CREDENTIAL_SERVICE_URL"));
        assertTrue(rendered.setting("BITBRIDGE_AUTH_OIDC_CLIENT_AUTH_SERVER_URL").startsWith("https://"));
    }

    @Test
    void prometheusScrapesEveryServiceWithATokenFromASecret() {
        Rendered rendered = Rendered.of("production");
        PodMonitor monitor = rendered.named(PodMonitor.class, "bitbridge");
        PodMetricsEndpoint endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
        assertEquals("/q/metrics", endpoint.getPath());
        assertEquals("http", endpoint.getPort());
        assertEquals("Bearer", endpoint.getAuthorization().getType());
        assertEquals("bitbridge-metrics-scrape", endpoint.getAuthorization().getCredentials().getName());
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertEquals(monitor.getSpec().getSelector().getMatchLabels(), subset(labels, monitor.getSpec().getSelector().getMatchLabels().keySet()),
                    deployment.getMetadata().getName() + " is not scraped");
        }
    }

    @Test
    void strimziGetsEveryTopicWithItsPartitionsAndCompaction() {
        Rendered rendered = Rendered.of("strimzi");
        Map<String, String> expected = KubernetesManifest.topicPolicies(TopicCatalogue.read(ServiceSpec.ALL));
        Map<String, String> topics = new LinkedHashMap<>();
        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            assertEquals(TopicCatalogue.PARTITIONS, topic.getSpec().getPartitions(), topic.getSpec().getTopicName());
            assertEquals("bitbridge", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            topics.put(topic.getSpec().getTopicName(), String.valueOf(topic.getSpec().getConfig().get("cleanup.policy")));
        }
        assertEquals(expected, topics);
        assertEquals("compact", topics.get("credentials.lifecycle.v1"));
        assertEquals("compact", topics.get("repositories.catalog.v1"));
        assertEquals("delete", topics.get("bitbucket.push.v1"));
        assertTrue(rendered.all(Job.class).isEmpty(), "Strimzi's topic operator creates the topics");
        assertTrue(rendered.setting("KAFKA_BOOTSTRAP_SERVERS").startsWith("bitbridge-kafka-bootstrap.kafka"));
    }

    @Test
    void theTopicJobCreatesEveryTopicOnAnyKafka() throws Exception {
        Rendered rendered = Rendered.of("production");
        Job job = rendered.named(Job.class, "bitbridge-topics");
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = container.getArgs().get(0);
        assertCreatesEveryTopic(script);
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(rendered.environment(container).contains("KAFKA_BOOTSTRAP_SERVERS"));
        String brokerVersion = rootPomProperty("kafka.broker.version");
        assertEquals("apache/kafka:" + brokerVersion, container.getImage(), "the Job's Kafka tools match the broker the build runs");
    }

    @Test
    void theRendererRefusesWhatItWouldNotApplyAndTheParserRefusesUnknownFields(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [service.yaml]
                commonLabels: {team: platform}
                """);
        Files.writeString(dir.resolve("service.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec:
                  ports: [{port: 80, targetPort: http}]
                  selectr: {app: s}
                """);
        IllegalStateException unsupported = assertThrows(IllegalStateException.class, () -> Kustomize.build(dir));
        assertTrue(unsupported.getMessage().contains("commonLabels"), unsupported.getMessage());

        ObjectNode misspelt = Kustomize.readDocuments(dir.resolve("service.yaml")).get(0);
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> KubernetesTypes.parse(misspelt));
        assertTrue(unknown.getMessage().contains("selectr"), unknown.getMessage());

        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../elsewhere.yaml]
                """);
        assertThrows(IllegalStateException.class, () -> Kustomize.build(dir));
    }

    @Test
    void aStrategicMergePatchMergesListsByNameAndReplacesTheRest() throws Exception {
        ObjectNode target = (ObjectNode) Kustomize.YAML.readTree("""
                containers: [{name: a, image: x, env: [{name: A, value: "1"}]}]
                args: [one]
                drop: {me: 1}
                """);
        Kustomize.merge(target, (ObjectNode) Kustomize.YAML.readTree("""
                containers: [{name: a, env: [{name: B, value: "2"}]}, {name: b, image: y}]
                args: [two]
                drop: null
                """));
        assertEquals(Kustomize.YAML.readTree("""
                containers: [{name: a, image: x, env: [{name: A, value: "1"}, {name: B, value: "2"}]}, {name: b, image: y}]
                args: [two]
                """), target);
    }

    /** A topic script (the Job's, compose's) lists every topic with its cleanup policy, one per line, and the partitions. */
    static void assertCreatesEveryTopic(String script) {
        Map<String, String> listed = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^([a-z0-9.-]+) (compact|delete)$").matcher(script);
        while (line.find()) {
            listed.put(line.group(1), line.group(2));
        }
        assertEquals(KubernetesManifest.topicPolicies(TopicCatalogue.read(ServiceSpec.ALL)), listed);
        assertTrue(script.contains("--partitions " + TopicCatalogue.PARTITIONS));
    }

    private static void assertProbe(Probe probe, String path, String service) {
        assertNotNull(probe, service + " has no probe on " + path);
        assertEquals(path, probe.getHttpGet().getPath(), service);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), service);
    }

    private static Set<String> selectedServices(NetworkPolicy policy, Rendered rendered) {
        Set<String> selected = new HashSet<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            var selector = policy.getSpec().getPodSelector();
            boolean labelsMatch = isEmpty(selector.getMatchLabels())
                    || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
            boolean expressionsMatch = isEmpty(selector.getMatchExpressions()) || selector.getMatchExpressions().stream().allMatch(e ->
                    switch (e.getOperator()) {
                        case "In" -> e.getValues().contains(labels.get(e.getKey()));
                        case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
                        case "Exists" -> labels.containsKey(e.getKey());
                        default -> !labels.containsKey(e.getKey());
                    });
            if (labelsMatch && expressionsMatch) {
                selected.add(deployment.getMetadata().getName());
            }
        }
        return selected;
    }

    private static boolean isEmpty(Object mapOrList) {
        return mapOrList == null || (mapOrList instanceof Map<?, ?> map && map.isEmpty())
                || (mapOrList instanceof List<?> list && list.isEmpty());
    }

    private static Map<String, String> subset(Map<String, String> labels, Set<String> keys) {
        Map<String, String> subset = new TreeMap<>(labels);
        subset.keySet().retainAll(keys);
        return subset;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static int port(String service) {
        return ServiceSpec.ALL.stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow().port();
    }

    static String rootPomProperty(String name) throws java.io.IOException {
        Matcher property = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ServiceSources.ROOT.resolve("pom.xml")));
        assertTrue(property.find(), "the root pom has no " + name);
        return property.group(1);
    }
}
