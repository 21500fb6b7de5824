package io.milvus.upgrade.localstack;

import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code make run}'s tour: the upgrade guide step by step, each kubectl command printed and run
 * against the local stack, with the {@link SimulatedKubelet} playing the Jobs' pods and the
 * Milvus operator: the Milvus; the unsafe image jump, denied; the MilvusUpgrade and its states
 * to {@code Succeeded}; a failing migration that rolls back; {@code kubectl delete} taking the
 * backup PVC, Jobs and ConfigMaps with it.
 */
public final class UpgradeWalkthrough {

    public static final String UPGRADE = "my-release-upgrade";
    public static final String FAILING_MILVUS = "my-second-release";
    public static final String FAILING_UPGRADE = "my-second-release-upgrade";
    private static final Set<String> FINAL_STATES = Set.of("Succeeded", "RollbackedSucceeded", "RollbackFailed");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

    private final Path kubeconfig;
    private final Path repository;
    private final PrintStream out;
    private int step;

    public UpgradeWalkthrough(Path kubeconfig, Path repository, PrintStream out) {
        this.kubeconfig = kubeconfig;
        this.repository = repository;
        this.out = out;
    }

    /** Runs every step; throws when one does not turn out as the guide says. */
    public void run() {
        step("apply the Milvus the upgrade guide starts from: a standalone at 2.1.4");
        expectSuccess(kubectl(null, "apply", "-f", sample("milvus-my-release.yaml")));
        note("the simulated operator creates its Deployment and reports it ready");

        step("try the unsafe jump: only the image changes, 2.1.4 to 2.2.0 (it would lose the built indexes)");
        Kubectl.Result jump = kubectl(null, "apply", "-f", sample("milvus-my-release-unsafe-jump.yaml"));
        if (jump.exitCode() == 0) throw new IllegalStateException("the unsafe image jump was admitted");
        note("denied by the webhook (kubectl exit " + jump.exitCode() + "), as it should be");

        step("apply the MilvusUpgrade instead (the webhook fills in targetImage, toolImage, maxRetry, ...)");
        expectSuccess(kubectl(null, "apply", "-f", sample("milvusupgrade-my-release.yaml")));

        step("watch it: Milvus stopped, metadata backed up and migrated by Jobs, 2.2.0 started");
        expectFinalState(UPGRADE, "Succeeded");
        expectSuccess(kubectl(null, "get", "milvus", "my-release", "-o", "jsonpath={.spec.components.image}{\"\\n\"}"));
        expectSuccess(kubectl(null, "get", "pvc,jobs,configmaps", "-l", MigrationJobFactory.LABEL_UPGRADE + "=" + UPGRADE));

        step("a migration that fails: the simulation fails every update-meta Job of this upgrade; it rolls back");
        String failing = failingUpgrade();
        out.println(indent(failing));
        expectSuccess(kubectl(failing, "apply", "-f", "-"));
        expectFinalState(FAILING_UPGRADE, "RollbackedSucceeded");
        expectSuccess(kubectl(null, "get", "milvus", FAILING_MILVUS, "-o", "jsonpath={.spec.components.image}{\"\\n\"}"));
        note("back on 2.1.4, its metadata restored from the backup");

        step("delete the finished upgrade: its backup PVC, Jobs and ConfigMaps go with it");
        expectSuccess(kubectl(null, "delete", "mup", UPGRADE));
        awaitGone(UPGRADE);
        out.println();
    }

    private void step(String title) {
        step++;
        out.printf(Locale.ROOT, "%n== %d. %s%n", step, title);
    }

    private void note(String text) {
        out.println("   # " + text);
    }

    private String sample(String name) {
        return repository.resolve("manifests/samples").resolve(name).toString();
    }

    /** Prints and runs one kubectl command, and what it printed. */
    private Kubectl.Result kubectl(String stdin, String... args) {
        out.println("$ kubectl " + display(args));
        Kubectl.Result result = Kubectl.run(kubeconfig, stdin, args);
        if (!result.output().isBlank()) out.println(indent(result.output().strip()));
        return result;
    }

    private String display(String... args) {
        List<String> shown = new ArrayList<>();
        for (String arg : args) {
            String relative = arg.startsWith(repository.toString() + "/") ? arg.substring(repository.toString().length() + 1) : arg;
            shown.add(relative.matches("[A-Za-z0-9_./:=,-]+") ? relative : "'" + relative + "'");
        }
        return String.join(" ", shown);
    }

    private static void expectSuccess(Kubectl.Result result) {
        if (result.exitCode() != 0) throw new IllegalStateException("kubectl failed: " + result.output().strip());
    }

    /** {@code kubectl get mup NAME -w}: each new state on a line, until a final one. */
    private void expectFinalState(String upgrade, String expected) {
        String[] args = {"get", "mup", upgrade, "-w", "-o", "jsonpath={.status.state}{\"\\n\"}"};
        out.println("$ kubectl " + display(args) + "   # one line per state change; stopped at a final state");
        long start = System.nanoTime();
        List<String> states = new ArrayList<>();
        boolean finished = Kubectl.stream(kubeconfig, STEP_TIMEOUT, line -> {
            String state = line.strip().isEmpty() ? "(new)" : line.strip();
            if (states.isEmpty() || !states.getLast().equals(state)) {
                states.add(state);
                out.printf(Locale.ROOT, "   %-28s %5.1f s%n", state, (System.nanoTime() - start) / 1e9);
            }
            return FINAL_STATES.contains(state);
        }, args);
        String last = states.isEmpty() ? "(none)" : states.getLast();
        if (!finished || !last.equals(expected)) {
            throw new IllegalStateException(upgrade + " ended in " + last + " after " + states + ", not " + expected
                    + (finished ? "" : " (timed out after " + STEP_TIMEOUT.toSeconds() + " s)"));
        }
    }

    private void awaitGone(String upgrade) {
        String selector = MigrationJobFactory.LABEL_UPGRADE + "=" + upgrade;
        Poll.until(STEP_TIMEOUT, "the PVC, Jobs and ConfigMaps of " + upgrade + " to go", () ->
                Kubectl.run(kubeconfig, null, "get", "mup", upgrade, "-o", "name").exitCode() != 0
                        && Kubectl.run(kubeconfig, null, "get", "pvc,jobs,configmaps", "-l", selector, "-o", "name").stdout().isBlank());
        expectSuccess(kubectl(null, "get", "pvc,jobs,configmaps", "-l", selector));
    }

    private static String failingUpgrade() {
        return """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata:
                  name: %1$s
                  namespace: default
                spec:
                  mode: standalone
                  components:
                    image: milvusdb/milvus:v2.1.4
                ---
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata:
                  name: %2$s
                  namespace: default
                  annotations:
                    %3$s: update-meta   # the simulation fails these Jobs
                spec:
                  milvus:
                    name: %1$s
                  sourceVersion: "v2.1.4"
                  targetVersion: "v2.2.0"
                  maxRetry: 1
                """.formatted(FAILING_MILVUS, FAILING_UPGRADE, SimulatedKubelet.FAIL_ANNOTATION);
    }

    private static String indent(String text) {
        return text.lines().map(l -> "   " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
