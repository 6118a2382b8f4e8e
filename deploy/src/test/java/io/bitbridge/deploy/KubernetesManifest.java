package io.bitbridge.deploy;

import java.util.List;
import java.util.stream.Collectors;

/** Renders deploy/kubernetes/bitbridge.yaml from the service list: one Deployment and one Service per service. */
final class KubernetesManifest {
    private static final String HEADER = """
            # Bitbridge on Kubernetes: the multi-node form of the local stack.
            # Generated from deploy/src/main/resources/services.tsv by ServiceManifestsTest: edit the list (or the
            # template in KubernetesManifest), not this file.
            # Kafka: any Kafka (e.g. Strimzi-managed) reachable at KAFKA_BOOTSTRAP_SERVERS; PostgreSQL: any server.
            # Secrets expected in namespace bitbridge:
            #   bitbridge-db        keys: location (//host:5432/bitbridge), user, password
            #   bitbridge-auth      keys: issuer, public-key-location (a JWKS URL or file: path), oidc-client-secret
            #   bitbridge-crypto    key: data-key (credential-service AES-256 key, Base64)
            #   bitbridge-public-tls  the TLS certificate of the public host (Ingress bitbridge-public)
            # The public host (bitbridge.example.com below and BITBRIDGE_PUBLIC_BASE_URL): set both to yours.
            # Images: build each service with `./mvnw package -pl <service> -Dquarkus.container-image.build=true` or
            # any Dockerfile over <service>/target/quarkus-app.
            apiVersion: v1
            kind: Namespace
            metadata:
              name: bitbridge
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: bitbridge-common
              namespace: bitbridge
            data:
              KAFKA_BOOTSTRAP_SERVERS: bitbridge-kafka-bootstrap.kafka:9092
              BITBRIDGE_SERVICE_TOKENS: oidc
              BITBRIDGE_AUTH_OIDC_CLIENT_ENABLED: "true"
              BITBRIDGE_PUBLIC_BASE_URL: https://bitbridge.example.com
            """;

    /**
     * One public host for what Bitbucket and browsers reach from outside. %1$d the gateway's port, %2$d credential-service's.
     */
    private static final String PUBLIC_HOST = """
            ---
            # Webhooks go to the gateway; the OAuth consent flow (authorize and callback, which share a cookie) to
            # credential-service. The Bitbucket OAuth consumer's callback URL: https://bitbridge.example.com/oauth/bitbucket-cloud/callback
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: bitbridge-public
              namespace: bitbridge
            spec:
              tls:
                - hosts: [bitbridge.example.com]
                  secretName: bitbridge-public-tls
              rules:
                - host: bitbridge.example.com
                  http:
                    paths:
                      - {path: /webhooks, pathType: Prefix, backend: {service: {name: webhook-gateway, port: {number: %1$d}}}}
                      - {path: /oauth, pathType: Prefix, backend: {service: {name: credential-service, port: {number: %2$d}}}}
            """;

    /** %1$s name, %2$d port, %3$d replicas. */
    private static final String SERVICE = """
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: %1$s
              namespace: bitbridge
              labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: bitbridge}
            spec:
              replicas: %3$d
              selector:
                matchLabels: {app.kubernetes.io/name: %1$s}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: bitbridge}
                  annotations:
                    prometheus.io/path: /q/metrics
                    prometheus.io/port: "%2$d"
                spec:
                  containers:
                    - name: %1$s
                      image: bitbridge/%1$s:0.1.0
                      ports:
                        - {name: http, containerPort: %2$d}
                      envFrom:
                        - configMapRef: {name: bitbridge-common}
                      env:
                        - {name: BITBRIDGE_HTTP_PORT, value: "%2$d"}
                        - {name: BITBRIDGE_DB_LOCATION, valueFrom: {secretKeyRef: {name: bitbridge-db, key: location}}}
                        - {name: BITBRIDGE_DB_USER, valueFrom: {secretKeyRef: {name: bitbridge-db, key: user}}}
                        - {name: BITBRIDGE_DB_PASSWORD, valueFrom: {secretKeyRef: {name: bitbridge-db, key: password}}}
                        - {name: BITBRIDGE_AUTH_ISSUER, valueFrom: {secretKeyRef: {name: bitbridge-auth, key: issuer}}}
                        - {name: BITBRIDGE_AUTH_PUBLIC_KEY_LOCATION, valueFrom: {secretKeyRef: {name: bitbridge-auth, key: public-key-location}}}
                        - {name: BITBRIDGE_AUTH_OIDC_CLIENT_SECRET, valueFrom: {secretKeyRef: {name: bitbridge-auth, key: oidc-client-secret}}}
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: http}
                        periodSeconds: 5
                      livenessProbe:
                        httpGet: {path: /q/health/live, port: http}
                        periodSeconds: 10
                        failureThreshold: 6
                      startupProbe:
                        httpGet: {path: /q/health/started, port: http}
                        periodSeconds: 2
                        failureThreshold: 60
                      resources:
                        requests: {cpu: 100m, memory: 256Mi}
                        limits: {memory: 512Mi}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: %1$s
              namespace: bitbridge
            spec:
              selector: {app.kubernetes.io/name: %1$s}
              ports:
                - {name: http, port: %2$d, targetPort: http}
            """;

    private KubernetesManifest() {
    }

    static String render(List<ServiceSpec> services) {
        return HEADER + services.stream()
                .map(s -> SERVICE.formatted(s.name(), s.port(), s.replicas()))
                .collect(Collectors.joining())
                + PUBLIC_HOST.formatted(port(services, "webhook-gateway"), port(services, "credential-service"));
    }

    private static int port(List<ServiceSpec> services, String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("services.tsv lists no " + name)).port();
    }
}
