package io.bitbridge.deploy;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.type.Type;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings a deployed service must be given, read from what it ships: every {@code ${NAME}} without a default in
 * its configuration, every default that only works on the machine it was written on (loopback addresses,
 * {@code .local} hosts, files of the local launcher, {@code unset} placeholders), and every {@code @ConfigMapping} or
 * {@code @ConfigProperty} value with no default anywhere. Each is satisfied by one of its environment variable names
 * (MicroProfile Config's mapping: upper case, every other character {@code _}).
 */
final class RequiredSettings {
    /** Hosts and paths that exist only where the configuration was written. */
    private static final Pattern MACHINE_LOCAL = Pattern.compile(
            "(?i)(localhost|127\\.0\\.0\\.1|://[a-z0-9.-]+\\.local\\b|^\\.bitbridge/|\\bunset$)");
    /** Values MicroProfile Config and Quarkus always have. */
    private static final Set<String> BUILT_IN = Set.of("quarkus.uuid", "java.io.tmpdir", "user.home", "user.dir");
    private static final Set<String> OPTIONAL_TYPES = Set.of("Optional", "OptionalInt", "OptionalLong", "OptionalDouble",
            "Map", "List", "Set");

    /** One setting to give, with the environment variables that give it and why it is needed. */
    record Requirement(String property, Set<String> environmentNames, String why) {
        boolean satisfiedBy(Set<String> environment) {
            return environmentNames.stream().anyMatch(environment::contains);
        }
    }

    private RequiredSettings() {
    }

    static List<Requirement> of(ServiceSources sources) {
        Map<String, String> configuration = sources.configuration();
        List<Requirement> required = new ArrayList<>();
        configuration.forEach((key, value) -> fromValue(key, value, configuration, required));
        for (CompilationUnit unit : sources.allSources()) {
            unit.findAll(ClassOrInterfaceDeclaration.class, RequiredSettings::isConfigMapping).forEach(mapping ->
                    mappedLeaves(mapping, annotationValue(mapping.getAnnotationByName("ConfigMapping").orElseThrow(), "prefix")
                            .orElseThrow(), unit, configuration, required));
            unit.findAll(Parameter.class, p -> p.getAnnotationByName("ConfigProperty").isPresent())
                    .forEach(p -> fromConfigProperty(p.getAnnotationByName("ConfigProperty").orElseThrow(), p.getType(), configuration, required));
            unit.findAll(FieldDeclaration.class, f -> f.getAnnotationByName("ConfigProperty").isPresent())
                    .forEach(f -> fromConfigProperty(f.getAnnotationByName("ConfigProperty").orElseThrow(), f.getElementType(), configuration, required));
        }
        return required.stream().distinct().toList();
    }

    /**
     * Whether the service reads an environment variable: it names one of its configuration keys, a {@code ${NAME}} its
     * configuration refers to, a {@code @ConfigProperty}, or falls under a {@code @ConfigMapping} prefix. Anything else
     * set for it is a typo or a leftover.
     */
    static java.util.function.Predicate<String> reads(ServiceSources sources) {
        Map<String, String> configuration = sources.configuration();
        Set<String> exact = new java.util.HashSet<>();
        List<String> prefixes = new ArrayList<>();
        configuration.forEach((key, value) -> {
            exact.add(environmentName(key));
            expressions(value).forEach(e -> exact.add(environmentName(e[0])));
        });
        for (CompilationUnit unit : sources.allSources()) {
            unit.findAll(AnnotationExpr.class, a -> a.getNameAsString().equals("ConfigProperty"))
                    .forEach(a -> exact.add(environmentName(annotationValue(a, "name").orElseThrow())));
            unit.findAll(ClassOrInterfaceDeclaration.class, RequiredSettings::isConfigMapping).forEach(mapping -> prefixes.add(
                    environmentName(annotationValue(mapping.getAnnotationByName("ConfigMapping").orElseThrow(), "prefix").orElseThrow()) + "_"));
        }
        return name -> exact.contains(name) || prefixes.stream().anyMatch(name::startsWith);
    }

    /** A configured value: each {@code ${NAME}} in it without a default, or with a machine-local one, must be given. */
    private static void fromValue(String key, String value, Map<String, String> configuration, List<Requirement> into) {
        List<String[]> expressions = expressions(value);
        if (expressions.isEmpty() && MACHINE_LOCAL.matcher(value).find()) {
            into.add(new Requirement(key, Set.of(environmentName(key)), "its value " + value + " only works on one machine"));
        }
        for (String[] expression : expressions) {
            String name = expression[0];
            String fallback = expression[1];
            if (BUILT_IN.contains(name) || configuration.containsKey(name)) {
                continue;
            }
            Set<String> names = new LinkedHashSet<>(List.of(environmentName(name), environmentName(key)));
            if (fallback == null) {
                into.add(new Requirement(key, names, "${" + name + "} has no default"));
            } else if (MACHINE_LOCAL.matcher(fallback).find()) {
                into.add(new Requirement(key, names, "${" + name + "} defaults to " + fallback + ", which only works on one machine"));
            }
        }
    }

    private static void fromConfigProperty(AnnotationExpr annotation, Type type, Map<String, String> configuration,
                                           List<Requirement> into) {
        String name = annotationValue(annotation, "name").orElseThrow();
        if (annotationValue(annotation, "defaultValue").isEmpty() && !optional(type) && !configuration.containsKey(name)) {
            into.add(new Requirement(name, Set.of(environmentName(name)), "@ConfigProperty " + name + " has no default"));
        }
    }

    /** The leaves of a {@code @ConfigMapping} interface (nested groups followed) with no default anywhere. */
    private static void mappedLeaves(ClassOrInterfaceDeclaration mapping, String prefix, CompilationUnit unit,
                                     Map<String, String> configuration, List<Requirement> into) {
        for (MethodDeclaration method : mapping.getMethods()) {
            if (method.isDefault() || method.isStatic() || method.getAnnotationByName("WithDefault").isPresent()
                    || optional(method.getType())) {
                continue;
            }
            String name = method.getAnnotationByName("WithName").flatMap(a -> annotationValue(a, "value"))
                    .orElseGet(() -> kebab(method.getNameAsString()));
            String key = prefix + "." + name;
            Optional<ClassOrInterfaceDeclaration> group = unit.findFirst(ClassOrInterfaceDeclaration.class,
                    c -> c.isInterface() && c.getNameAsString().equals(method.getType().asString()));
            if (group.isPresent()) {
                mappedLeaves(group.get(), key, unit, configuration, into);
            } else if (!configuration.containsKey(key)) {
                into.add(new Requirement(key, Set.of(environmentName(key)), "@ConfigMapping " + key + " has no default"));
            }
        }
    }

    private static boolean isConfigMapping(ClassOrInterfaceDeclaration type) {
        return type.isInterface() && type.getAnnotationByName("ConfigMapping").isPresent();
    }

    private static boolean optional(Type type) {
        String raw = type.isClassOrInterfaceType() ? type.asClassOrInterfaceType().getNameAsString() : type.asString();
        return OPTIONAL_TYPES.contains(raw);
    }

    private static Optional<String> annotationValue(AnnotationExpr annotation, String member) {
        if (annotation instanceof SingleMemberAnnotationExpr single && member.equals("value")) {
            return Optional.of(single.getMemberValue().asStringLiteralExpr().getValue());
        }
        if (annotation instanceof NormalAnnotationExpr normal) {
            NodeList<MemberValuePair> pairs = normal.getPairs();
            return pairs.stream().filter(p -> p.getNameAsString().equals(member))
                    .map(p -> p.getValue().asStringLiteralExpr().getValue()).findFirst();
        }
        return Optional.empty();
    }

    /** The {@code ${NAME}} and {@code ${NAME:default}} expressions of a value, nested ones included: {name, default or null}. */
    static List<String[]> expressions(String value) {
        List<String[]> found = new ArrayList<>();
        int start = value.indexOf("${");
        while (start >= 0) {
            int depth = 0;
            int end = start;
            int colon = -1;
            for (int i = start; i < value.length(); i++) {
                if (value.startsWith("${", i)) {
                    depth++;
                    i++;
                } else if (value.charAt(i) == '}' && --depth == 0) {
                    end = i;
                    break;
                } else if (value.charAt(i) == ':' && depth == 1 && colon < 0) {
                    colon = i;
                }
            }
            if (end == start) {
                throw new IllegalStateException("unbalanced ${ in " + value);
            }
            String name = value.substring(start + 2, colon < 0 ? end : colon);
            String fallback = colon < 0 ? null : value.substring(colon + 1, end);
            found.add(new String[] {name, fallback});
            if (fallback != null) {
                found.addAll(expressions(fallback));
            }
            start = value.indexOf("${", end + 1);
        }
        return found;
    }

    /** MicroProfile Config's environment variable for a property: upper case, every non-alphanumeric character {@code _}. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
