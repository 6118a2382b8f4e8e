package io.bitbridge.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders a kustomization the way {@code kubectl apply -k} does, for the subset deploy/kubernetes uses:
 * {@code resources} (files and directories with their own kustomization.yaml), {@code namespace}, strategic-merge
 * {@code patches} by path, and {@code images}. Any other field is refused, so the manifests cannot come to rely on a
 * feature this renderer would silently skip. Semantics follow https://kubectl.docs.kubernetes.io/references/kustomize/.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Resources kustomize's namespace transformer leaves alone. */
    private static final List<String> CLUSTER_SCOPED = List.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

    record Kustomization(@JsonProperty(required = true) String apiVersion, @JsonProperty(required = true) String kind,
                         String namespace, List<String> resources, List<Patch> patches, List<Image> images) {
        List<String> resourcesOrEmpty() {
            return resources == null ? List.of() : resources;
        }

        List<Patch> patchesOrEmpty() {
            return patches == null ? List.of() : patches;
        }

        List<Image> imagesOrEmpty() {
            return images == null ? List.of() : images;
        }
    }

    /** A strategic-merge patch file; it names its target by apiVersion, kind and metadata.name. */
    record Patch(@JsonProperty(required = true) String path) {
    }

    record Image(@JsonProperty(required = true) String name, String newName, String newTag) {
    }

    private Kustomize() {
    }

    /** The documents {@code kubectl kustomize directory} prints, in order. */
    static List<ObjectNode> build(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        Kustomization kustomization;
        try {
            kustomization = YAML.readValue(file.toFile(), Kustomization.class);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
        if (!"kustomize.config.k8s.io/v1beta1".equals(kustomization.apiVersion()) || !"Kustomization".equals(kustomization.kind())) {
            throw new IllegalStateException(file + ": expected apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization");
        }
        List<ObjectNode> documents = new ArrayList<>();
        for (String resource : kustomization.resourcesOrEmpty()) {
            Path path = directory.resolve(resource).normalize();
            documents.addAll(Files.isDirectory(path) ? build(path) : readDocuments(inside(directory, resource)));
        }
        for (Patch patch : kustomization.patchesOrEmpty()) {
            for (ObjectNode change : readDocuments(inside(directory, patch.path()))) {
                ObjectNode target = documents.stream().filter(d -> sameObject(d, change)).findFirst().orElseThrow(() ->
                        new IllegalStateException(directory.resolve(patch.path()) + ": no resource " + identity(change) + " to patch"));
                merge(target, change);
            }
        }
        if (kustomization.namespace() != null) {
            documents.stream().filter(d -> !CLUSTER_SCOPED.contains(d.path("kind").asText()))
                    .forEach(d -> d.withObjectProperty("metadata").put("namespace", kustomization.namespace()));
        }
        for (Image image : kustomization.imagesOrEmpty()) {
            documents.forEach(d -> d.findParents("containers").forEach(parent ->
                    parent.get("containers").forEach(container -> retag((ObjectNode) container, image))));
        }
        return documents;
    }

    /** Files (not kustomization directories) must lie under the kustomization, as kustomize's default load restrictor demands. */
    private static Path inside(Path directory, String file) {
        Path path = directory.resolve(file).normalize();
        if (!path.startsWith(directory.normalize())) {
            throw new IllegalStateException(directory.resolve("kustomization.yaml") + ": " + file
                    + " is outside the kustomization's directory, which kustomize refuses");
        }
        return path;
    }

    /** Every YAML document of a file (a multi-document stream), comments and empty documents dropped. */
    static List<ObjectNode> readDocuments(Path file) {
        List<ObjectNode> documents = new ArrayList<>();
        try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(file.toFile())) {
            Iterator<JsonNode> nodes = YAML.readValues(parser, JsonNode.class);
            while (nodes.hasNext()) {
                JsonNode node = nodes.next();
                if (node instanceof ObjectNode object) {
                    documents.add(object);
                } else if (node != null && !node.isNull() && !node.isMissingNode()) {
                    throw new IllegalStateException(file + ": a document is not a mapping: " + node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
        return documents;
    }

    /**
     * Strategic merge as kustomize applies it to the fields used here: mappings merge key by key, a null value deletes
     * the key, lists of mappings that all have a {@code name} merge element by name (containers, env, volumes: their
     * merge key in the Kubernetes API), any other list is replaced.
     */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode current = target.get(field.getKey());
            JsonNode change = field.getValue();
            if (change.isNull()) {
                target.remove(field.getKey());
            } else if (current instanceof ObjectNode currentObject && change instanceof ObjectNode changeObject) {
                merge(currentObject, changeObject);
            } else if (current instanceof ArrayNode currentList && change instanceof ArrayNode changeList
                    && named(currentList) && named(changeList)) {
                mergeByName(currentList, changeList);
            } else {
                target.set(field.getKey(), change.deepCopy());
            }
        }
    }

    private static void mergeByName(ArrayNode target, ArrayNode patch) {
        for (JsonNode element : patch) {
            String name = element.get("name").asText();
            JsonNode existing = null;
            for (JsonNode candidate : target) {
                if (candidate.get("name").asText().equals(name)) {
                    existing = candidate;
                }
            }
            if (existing == null) {
                target.add(element.deepCopy());
            } else {
                merge((ObjectNode) existing, (ObjectNode) element);
            }
        }
    }

    private static boolean named(ArrayNode list) {
        for (JsonNode element : list) {
            if (!element.isObject() || !element.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }

    private static void retag(ObjectNode container, Image image) {
        String reference = container.path("image").asText();
        int tagAt = reference.lastIndexOf(':') > reference.lastIndexOf('/') ? reference.lastIndexOf(':') : reference.length();
        if (!reference.substring(0, tagAt).equals(image.name())) {
            return;
        }
        String name = image.newName() == null ? image.name() : image.newName();
        String tag = image.newTag() != null ? ":" + image.newTag() : reference.substring(tagAt);
        container.set("image", TextNode.valueOf(name + tag));
    }

    private static boolean sameObject(ObjectNode a, ObjectNode b) {
        return identity(a).equals(identity(b));
    }

    static String identity(JsonNode document) {
        return document.path("apiVersion").asText() + "/" + document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
    }
}
