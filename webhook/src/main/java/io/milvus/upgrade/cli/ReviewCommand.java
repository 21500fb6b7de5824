package io.milvus.upgrade.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.admission.AdmissionReviewCodec;
import io.milvus.upgrade.admission.MutatingEndpoint;
import io.milvus.upgrade.admission.ReviewRequest;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The admission decision for a manifest, without a cluster: the same defaulting, validation and
 * image guard as the webhook, for checking manifests in CI before they reach a cluster.
 */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Review a MilvusUpgrade or Milvus manifest offline: verdict, warnings, patch and defaulted object, as YAML.",
                "Exit codes: 0 allowed, 1 denied, 2 bad input."})
final class ReviewCommand implements Callable<Integer> {

    private static final String GROUP_VERSION = "milvus.io/v1beta1";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    @Option(names = {"-f", "--filename"}, required = true, description = "the object to review (YAML or JSON, one document)")
    Path file;

    @Option(names = "--old", description = "the object as it is now: review an update instead of a create")
    Path oldFile;

    @Option(names = "--namespace", description = "namespace of the object when its metadata names none (default: default)")
    String namespace;

    @Option(names = "--policy", description = "policy file (YAML); default: the built-in policy")
    Path policyFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ObjectNode object = readObject(file);
            ObjectNode old = oldFile == null ? null : readObject(oldFile);
            String kind = kindOf(object, file);
            if (old != null && !kind.equals(kindOf(old, oldFile))) {
                throw new BadInput(oldFile + " is a " + old.path("kind").asText() + ", not a " + kind);
            }
            UpgradePolicy policy = policyFile == null ? UpgradePolicy.builtIn() : PolicyFile.read(policyFile);
            MilvusWebhooks endpoints = MilvusWebhooks.create(PolicySource.fixed(policy), ClusterLookup.none());
            ObjectNode report = kind.equals("MilvusUpgrade")
                    ? reviewUpgrade(endpoints, object, old)
                    : toReport(endpoints.validateMilvus().review(request(object, old)), List.of(), null, object);
            out.print(YAML.writeValueAsString(report));
            out.flush();
            return report.path("allowed").asBoolean() ? 0 : 1;
        } catch (BadInput | PolicyException e) {
            err.println("review: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        } catch (IOException e) {
            err.println("review: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        }
    }

    /** Mutation then validation of the defaulted object, as the apiserver runs them. */
    private ObjectNode reviewUpgrade(MilvusWebhooks endpoints, ObjectNode object, ObjectNode old) throws IOException {
        MutatingEndpoint.Mutation mutation = endpoints.mutateMilvusUpgrade().mutate(request(object, old));
        AdmissionResponse mutated = mutation.response();
        if (!Boolean.TRUE.equals(mutated.getAllowed())) {
            return toReport(mutated, List.of(), null, object);
        }
        JsonNode patch = mutated.getPatch() == null ? ApiSerialization.json().createArrayNode()
                : ApiSerialization.json().readTree(new String(Base64.getDecoder().decode(mutated.getPatch()), StandardCharsets.UTF_8));
        AdmissionResponse validated = endpoints.validateMilvusUpgrade().review(request((ObjectNode) mutation.defaulted(), old));
        List<String> mutationWarnings = mutated.getWarnings() == null ? List.of() : mutated.getWarnings();
        return toReport(validated, mutationWarnings, patch, mutation.defaulted());
    }

    private ReviewRequest request(ObjectNode object, ObjectNode old) {
        String name = object.path("metadata").path("name").asText("");
        String ns = object.path("metadata").path("namespace").asText("");
        if (ns.isEmpty()) ns = namespace == null ? "default" : namespace;
        if (!object.path("metadata").has("namespace")) {
            ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
            metadata.put("namespace", ns);
        }
        AdmissionRequest request = new AdmissionRequestBuilder()
                .withUid("offline-review")
                .withKind(new GroupVersionKind("milvus.io", object.path("kind").asText(), "v1beta1"))
                .withOperation(old == null ? "CREATE" : "UPDATE")
                .withNamespace(ns)
                .withName(name)
                .withDryRun(true)
                .withNewUserInfo().withUsername("offline-review").endUserInfo()
                .build();
        return new ReviewRequest(AdmissionReviewCodec.V1, request, object, old);
    }

    private static ObjectNode toReport(AdmissionResponse response, List<String> earlierWarnings, JsonNode patch, JsonNode object) {
        ObjectNode report = ApiSerialization.json().createObjectNode();
        boolean allowed = Boolean.TRUE.equals(response.getAllowed());
        report.put("allowed", allowed);
        if (!allowed && response.getStatus() != null) {
            report.put("message", response.getStatus().getMessage());
            ArrayNode causes = report.putArray("causes");
            if (response.getStatus().getDetails() != null && response.getStatus().getDetails().getCauses() != null) {
                response.getStatus().getDetails().getCauses().forEach(c -> causes.addObject()
                        .put("field", c.getField()).put("reason", c.getReason()).put("message", c.getMessage()));
            }
        }
        List<String> warnings = new ArrayList<>(earlierWarnings);
        if (response.getWarnings() != null) warnings.addAll(response.getWarnings());
        ArrayNode warningNodes = report.putArray("warnings");
        warnings.forEach(warningNodes::add);
        if (patch != null) report.set("patch", patch);
        report.set("object", object);
        return report;
    }

    private static ObjectNode readObject(Path path) throws BadInput {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new BadInput("cannot read " + path + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        try {
            List<JsonNode> documents = YAML.readValues(YAML.getFactory().createParser(text), JsonNode.class).readAll();
            documents.removeIf(d -> d == null || d.isNull() || d.isMissingNode());
            if (documents.size() != 1) {
                throw new BadInput(path + " holds " + documents.size() + " documents; review one object at a time");
            }
            if (!(documents.get(0) instanceof ObjectNode object)) {
                throw new BadInput(path + " is not a Kubernetes object (expected a YAML mapping)");
            }
            return object;
        } catch (JacksonException e) {
            throw new BadInput(path + " is not YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new BadInput("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static String kindOf(JsonNode object, Path path) throws BadInput {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (!GROUP_VERSION.equals(apiVersion) || !(kind.equals("MilvusUpgrade") || kind.equals("Milvus"))) {
            throw new BadInput(path + ": unknown kind '" + kind + "' (apiVersion '" + apiVersion
                    + "'); expected a milvus.io/v1beta1 MilvusUpgrade or Milvus");
        }
        return kind;
    }

    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }
}
