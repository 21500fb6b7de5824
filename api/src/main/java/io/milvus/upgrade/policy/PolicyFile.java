package io.milvus.upgrade.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The admin's policy file (YAML, usually a mounted ConfigMap). Every field is optional and falls
 * back to the built-in policy; unknown fields are errors, because a misspelt rule that silently
 * does nothing is worse than a refused file.
 */
public final class PolicyFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private PolicyFile() {
    }

    public static UpgradePolicy read(Path file) throws PolicyException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** @param source names the text in error messages (a file path) */
    public static UpgradePolicy parse(String text, String source) throws PolicyException {
        Document document;
        try {
            // A file of comments only is an empty policy, which Jackson reads as no document at all.
            var tree = YAML.readTree(text);
            document = tree == null || tree.isMissingNode() || tree.isNull() ? new Document() : YAML.treeToValue(tree, Document.class);
        } catch (UnrecognizedPropertyException e) {
            throw new PolicyException(source + ": unknown field '" + e.getPropertyName() + "' at " + path(e)
                    + " (known: " + e.getKnownPropertyIds() + ")");
        } catch (JacksonException e) {
            throw new PolicyException(source + ": not a valid policy" + (path(e).isEmpty() ? "" : " at " + path(e))
                    + ": " + e.getOriginalMessage().split("\n")[0]);
        }
        try {
            return document.toPolicy(UpgradePolicy.builtIn());
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source + ": " + e.getMessage());
        }
    }

    private static String path(JacksonException e) {
        return e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[")
                : "";
    }

    /** The file's shape; absent fields are null and keep the built-in value. */
    static final class Document {
        @JsonProperty List<StepEntry> steps;
        @JsonProperty List<StepEntry> addSteps;
        @JsonProperty List<PathEntry> migrationPaths;
        @JsonProperty String operatorDefaultImage;
        @JsonProperty List<ToolImageEntry> toolImages;
        @JsonProperty String defaultRepository;
        @JsonProperty List<String> allowedRepositories;
        @JsonProperty Boolean allowUnpinnedTags;
        @JsonProperty Integer defaultMaxRetry;
        @JsonProperty Integer maxRetryLimit;
        @JsonProperty OverrideEntry override;
        @JsonProperty Map<String, String> rules;
        @JsonProperty List<String> releases;
        @JsonProperty List<QueueSwitchEntry> queueSwitches;

        UpgradePolicy toPolicy(UpgradePolicy base) {
            Map<PolicyRule, RuleMode> modes = new EnumMap<>(base.modes());
            if (Boolean.TRUE.equals(allowUnpinnedTags)) modes.put(PolicyRule.UNPINNED_TAG, RuleMode.OFF);
            if (rules != null) rules.forEach((key, mode) -> modes.put(rule(key), mode(key, mode)));
            return new UpgradePolicy(
                    steps(base),
                    operatorDefaultImage == null ? base.operatorDefaultImage() : operatorDefaultImage,
                    toolImages == null ? base.toolImages() : toolImages.stream().map(ToolImageEntry::toToolImage).toList(),
                    defaultRepository == null ? base.defaultRepository() : defaultRepository,
                    allowedRepositories == null ? base.allowedRepositories() : allowedRepositories,
                    defaultMaxRetry == null ? base.defaultMaxRetry() : defaultMaxRetry,
                    maxRetryLimit == null ? base.maxRetryLimit() : maxRetryLimit,
                    override == null ? base.override() : override.toOverride(base.override()),
                    modes,
                    releases == null ? base.releases() : releases.stream().map(Version::of).toList(),
                    queueSwitches == null ? base.queueSwitches() : queueSwitches(queueSwitches));
        }

        private static List<QueueSwitch> queueSwitches(List<QueueSwitchEntry> entries) {
            List<QueueSwitch> read = new java.util.ArrayList<>();
            for (int i = 0; i < entries.size(); i++) read.add(entries.get(i).toSwitch("queueSwitches[" + i + "]"));
            return read;
        }

        /**
         * {@code steps} replaces the built-in steps; {@code migrationPaths}, the older and shorter
         * form, replaces only the migration steps among them; {@code addSteps} adds steps to
         * either (the next Milvus release's, without restating the others).
         */
        private List<UpgradeStep> steps(UpgradePolicy base) {
            List<UpgradeStep> result = new java.util.ArrayList<>(baseSteps(base));
            if (addSteps != null) {
                for (int i = 0; i < addSteps.size(); i++) result.add(addSteps.get(i).toStep("addSteps[" + i + "]"));
            }
            return result;
        }

        private List<UpgradeStep> baseSteps(UpgradePolicy base) {
            if (steps != null && migrationPaths != null) {
                throw new IllegalArgumentException("use steps or migrationPaths, not both (a migration path is a step with migration: true)");
            }
            if (steps != null) {
                List<UpgradeStep> read = new java.util.ArrayList<>();
                for (int i = 0; i < steps.size(); i++) read.add(steps.get(i).toStep("steps[" + i + "]"));
                return read;
            }
            if (migrationPaths == null) return base.steps();
            return java.util.stream.Stream.concat(migrationPaths.stream().map(PathEntry::toStep),
                    base.steps().stream().filter(step -> !step.migration())).toList();
        }

        private static PolicyRule rule(String key) {
            return Arrays.stream(PolicyRule.values()).filter(r -> r.key().equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown rule '" + key + "' in rules (known: "
                            + Arrays.stream(PolicyRule.values()).map(PolicyRule::key).toList() + ")"));
        }

        private static RuleMode mode(String key, String mode) {
            try {
                return RuleMode.valueOf(String.valueOf(mode).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rules." + key + ": '" + mode + "' is not a mode (use enforce, warn or off)");
            }
        }
    }

    static final class PathEntry {
        @JsonProperty String source;
        @JsonProperty String target;

        UpgradeStep toStep() {
            if (source == null || target == null) {
                throw new IllegalArgumentException("each of migrationPaths needs source and target, e.g. source: \">=2.0.0 <2.2.0\"");
            }
            return UpgradeStep.migration(VersionRange.parse(source), VersionRange.parse(target));
        }
    }

    /** One of {@code steps}; see {@link UpgradeStep} for what each field means. */
    static final class StepEntry {
        @JsonProperty String from;
        @JsonProperty String to;
        @JsonProperty String minimumSource;
        @JsonProperty List<String> notFrom;
        @JsonProperty String topology;
        @JsonProperty List<String> frozenFields;
        @JsonProperty Boolean migration;
        @JsonProperty String rollingFrom;
        @JsonProperty String downgrade;
        @JsonProperty String validatedFrom;
        @JsonProperty Boolean frozenTopology;
        @JsonProperty List<String> zeroReplicas;
        @JsonProperty Boolean wholeObject;

        UpgradeStep toStep(String where) {
            if (from == null || to == null) {
                throw new IllegalArgumentException(where + " needs from and to, e.g. from: \">=2.5.0 <2.6.0\", to: \">=2.6.0 <2.7.0\"");
            }
            return new UpgradeStep(VersionRange.parse(from), VersionRange.parse(to),
                    minimumSource == null ? null : Version.of(minimumSource),
                    notFrom == null ? List.of() : notFrom.stream().map(Version::of).toList(),
                    topology == null ? UpgradeStep.Topology.ANY : named(UpgradeStep.Topology.values(), UpgradeStep.Topology::key, topology, where + ".topology"),
                    frozenFields == null ? List.of() : frozenFields,
                    Boolean.TRUE.equals(migration),
                    rollingFrom == null ? null : Version.of(rollingFrom),
                    downgrade == null ? UpgradeStep.Downgrade.NEVER : named(UpgradeStep.Downgrade.values(), UpgradeStep.Downgrade::key, downgrade, where + ".downgrade"),
                    validatedFrom == null ? null : Version.of(validatedFrom),
                    Boolean.TRUE.equals(frozenTopology),
                    zeroReplicas == null ? List.of() : zeroReplicas.stream().map(c -> component(c, where + ".zeroReplicas")).toList(),
                    Boolean.TRUE.equals(wholeObject));
        }

        private static String component(String field, String where) {
            return Arrays.stream(Component.values()).map(Component::field).filter(field::equals).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(where + ": '" + field + "' is not a component (known: "
                            + Arrays.stream(Component.values()).map(Component::field).toList() + ")"));
        }

        private static <E> E named(E[] values, java.util.function.Function<E, String> key, String text, String where) {
            return Arrays.stream(values).filter(v -> key.apply(v).equals(text)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    where + ": '" + text + "' is not one of " + Arrays.stream(values).map(key).toList()));
        }
    }

    /** One of {@code queueSwitches}: {@code since} is a version, or {@code never}. */
    static final class QueueSwitchEntry {
        @JsonProperty List<String> from;
        @JsonProperty List<String> to;
        @JsonProperty String since;

        QueueSwitch toSwitch(String where) {
            if (from == null || to == null || since == null) {
                throw new IllegalArgumentException(where + " needs from, to and since, e.g. {from: [pulsar], to: [woodpecker], since: 2.6.13}"
                        + " or since: never");
            }
            return new QueueSwitch(from, to, since.equals("never") ? java.util.Optional.empty() : java.util.Optional.of(Version.of(since)));
        }
    }

    static final class ToolImageEntry {
        @JsonProperty String targets;
        @JsonProperty String image;

        ToolImage toToolImage() {
            if (targets == null || image == null || image.isBlank()) {
                throw new IllegalArgumentException("each of toolImages needs targets and image");
            }
            return new ToolImage(VersionRange.parse(targets), image);
        }
    }

    static final class OverrideEntry {
        @JsonProperty Boolean enabled;
        @JsonProperty String annotation;

        GuardOverride toOverride(GuardOverride base) {
            return new GuardOverride(enabled == null ? base.enabled() : enabled,
                    annotation == null ? base.annotation() : annotation);
        }
    }
}
