package io.milvus.upgrade.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.config.ClusterConnection;
import io.milvus.upgrade.plan.PlanOutcome;
import io.milvus.upgrade.plan.PlannedStep;
import io.milvus.upgrade.plan.UpgradePlanner;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code plan}: the safe steps from the version a Milvus runs to a target, from the same policy
 * the webhook enforces, each with the exact object or patch to apply.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the safe upgrade path of a Milvus to a target version, step by step, from the policy.",
                "Exit codes: 0 a path exists, 1 none does (the reason is printed), 2 bad input."})
final class PlanCommand implements Callable<Integer> {

    static final int NO_PATH = 1;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    enum Format { text, yaml, json }

    @Option(names = {"-f", "--filename"}, description = "the Milvus (YAML or JSON, one document)")
    Path file;

    @Option(names = "--milvus", paramLabel = "NS/NAME", description = "read the Milvus from the cluster of --kubeconfig")
    String milvusName;

    @Option(names = "--kubeconfig", description = "with --milvus; default: $KUBECONFIG, else ~/.kube/config, else the pod's service account")
    Path kubeconfig;

    @Option(names = "--to", required = true, description = "the target version, e.g. 2.6.11")
    String to;

    @Option(names = "--policy", description = "policy file (YAML); default: the built-in policy")
    Path policyFile;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text, yaml or json")
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Version target = Version.parse(to).orElseThrow(() -> new BadInput("--to " + to + " is not a version (e.g. 2.6.11)"));
            UpgradePolicy policy = policyFile == null ? UpgradePolicy.builtIn() : PolicyFile.read(policyFile);
            Milvus milvus = readMilvus();
            PlanOutcome outcome = new UpgradePlanner(policy).plan(milvus, target);
            ObjectNode report = PlanReport.of(milvus, target, outcome);
            out.print(switch (format) {
                case text -> PlanReport.text(report);
                case yaml -> YAML.writeValueAsString(report);
                case json -> ApiSerialization.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
            });
            out.flush();
            return outcome instanceof PlanOutcome.Found ? 0 : NO_PATH;
        } catch (BadInput | PolicyException e) {
            err.println("plan: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        } catch (IOException e) {
            err.println("plan: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        }
    }

    private Milvus readMilvus() throws BadInput {
        if ((file == null) == (milvusName == null)) throw new BadInput("name the Milvus with either -f FILE or --milvus NS/NAME");
        return file != null ? fromFile(file) : fromCluster(milvusName);
    }

    private static Milvus fromFile(Path path) throws BadInput {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new BadInput("cannot read " + path + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        List<JsonNode> documents;
        try {
            documents = YAML.readValues(YAML.getFactory().createParser(text), JsonNode.class).readAll();
        } catch (JacksonException e) {
            throw new BadInput(path + " is not YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new BadInput("cannot read " + path + ": " + e.getMessage());
        }
        documents.removeIf(d -> d == null || d.isNull() || d.isMissingNode());
        if (documents.size() != 1 || !(documents.getFirst() instanceof ObjectNode object)) {
            throw new BadInput(path + " must hold one Milvus object, not " + documents.size() + " documents");
        }
        if (!"milvus.io/v1beta1".equals(object.path("apiVersion").asText()) || !"Milvus".equals(object.path("kind").asText())) {
            throw new BadInput(path + ": expected a milvus.io/v1beta1 Milvus, not " + object.path("apiVersion").asText() + " "
                    + object.path("kind").asText());
        }
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        if (!metadata.hasNonNull("namespace")) metadata.put("namespace", "default");
        if (!metadata.hasNonNull("name")) throw new BadInput(path + ": the Milvus has no metadata.name");
        try {
            return ApiSerialization.json().treeToValue(object, Milvus.class);
        } catch (JacksonException e) {
            throw new BadInput(path + " is not a valid Milvus: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private Milvus fromCluster(String namespacedName) throws BadInput {
        String[] parts = namespacedName.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) throw new BadInput("--milvus wants NS/NAME, not " + namespacedName);
        try (KubernetesClient client = connect()) {
            Milvus milvus = client.resources(Milvus.class).inNamespace(parts[0]).withName(parts[1]).get();
            if (milvus == null) throw new BadInput("Milvus " + namespacedName + " not found");
            return milvus;
        } catch (KubernetesClientException e) {
            throw new BadInput("cannot read Milvus " + namespacedName + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private KubernetesClient connect() throws BadInput {
        try {
            return ClusterConnection.connect(kubeconfig);
        } catch (IOException e) {
            throw new BadInput("cannot use the kubeconfig: " + e.getMessage());
        }
    }

    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    /** The plan as a tree (for {@code -o yaml|json}) and as text for people. */
    static final class PlanReport {

        private PlanReport() {
        }

        static ObjectNode of(Milvus milvus, Version target, PlanOutcome outcome) {
            ObjectNode report = ApiSerialization.json().createObjectNode();
            String namespace = milvus.getMetadata().getNamespace();
            String name = milvus.getMetadata().getName();
            report.put("milvus", namespace + "/" + name);
            report.put("to", target.toString());
            switch (outcome) {
                case PlanOutcome.NoPath none -> {
                    report.put("path", false);
                    report.put("why", none.why());
                }
                case PlanOutcome.Found found -> {
                    report.put("from", found.path().from().toString());
                    report.put("path", true);
                    ArrayNode steps = report.putArray("steps");
                    for (PlannedStep step : found.path().steps()) {
                        ObjectNode node = steps.addObject();
                        node.put("action", switch (step) {
                            case PlannedStep.EnableMixCoord ignored -> "enableMixCoord";
                            case PlannedStep.ChangeImage ignored -> "changeImage";
                            case PlannedStep.MigrateMetadata ignored -> "migrateMetadata";
                        });
                        node.put("summary", step.summary());
                        if (step instanceof PlannedStep.MigrateMetadata migrate) {
                            String upgrade = migrate.upgrade().getMetadata().getName();
                            node.set("object", ApiSerialization.json().valueToTree(migrate.upgrade()));
                            node.put("apply", "kubectl apply -f <object>");
                            node.put("wait", "kubectl wait --for=condition=Upgraded -n " + namespace + " milvusupgrade/" + upgrade + " --timeout=1h");
                            node.set("controllerPatch", step.patch());
                        } else if (step instanceof PlannedStep.ChangeImage change && change.wholeObject()) {
                            node.set("object", applicable(change.milvusAfter()));
                            node.put("apply", "kubectl apply -f <object>");
                            node.put("wait", "kubectl wait --for=jsonpath='{.status.status}'=Healthy -n " + namespace + " milvus/" + name + " --timeout=30m");
                            node.set("patch", step.patch());
                        } else {
                            node.set("patch", step.patch());
                            node.put("apply", "kubectl patch milvus " + name + " -n " + namespace + " --type=json -p '"
                                    + step.patch().toString() + "'");
                            node.put("wait", "kubectl wait --for=jsonpath='{.status.status}'=Healthy -n " + namespace + " milvus/" + name + " --timeout=30m");
                        }
                    }
                }
            }
            return report;
        }

        /** The Milvus as one applies it: no status, none of the fields the apiserver owns. */
        private static ObjectNode applicable(Milvus milvus) {
            ObjectNode object = ApiSerialization.json().valueToTree(milvus);
            object.remove("status");
            if (object.get("metadata") instanceof ObjectNode metadata) {
                metadata.remove(List.of("resourceVersion", "uid", "generation", "creationTimestamp", "managedFields"));
            }
            return object;
        }

        static String text(ObjectNode report) throws IOException {
            StringBuilder text = new StringBuilder();
            if (!report.path("path").asBoolean()) {
                return "No safe path for Milvus " + report.path("milvus").asText() + " to " + report.path("to").asText() + ": "
                        + report.path("why").asText() + "\n";
            }
            JsonNode steps = report.path("steps");
            text.append("Milvus ").append(report.path("milvus").asText()).append(": ").append(report.path("from").asText()).append(" → ")
                    .append(report.path("to").asText()).append(", ").append(steps.size()).append(steps.size() == 1 ? " step" : " steps")
                    .append(steps.isEmpty() ? " (it runs that version already)" : "").append("\n");
            int n = 1;
            for (JsonNode step : steps) {
                text.append("\n").append(n++).append(". ").append(step.path("summary").asText()).append("\n");
                if (step.has("object")) {
                    text.append("   kubectl apply -f - <<'EOF'\n")
                            .append(YAML.writeValueAsString(step.get("object")).indent(3)).append("   EOF\n");
                } else {
                    text.append("   ").append(step.path("apply").asText()).append("\n");
                }
                text.append("   ").append(step.path("wait").asText()).append("\n");
            }
            return text.toString();
        }
    }
}
