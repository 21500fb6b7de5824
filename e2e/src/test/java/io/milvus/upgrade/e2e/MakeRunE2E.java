package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlaneBinaries;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStackMain;
import io.milvus.upgrade.localstack.UpgradeWalkthrough;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make run} as a user sees it: LocalStackMain started as the Makefile starts it, in a
 * process group of its own as a terminal's foreground job; its walkthrough printed to the end
 * (the states of both upgrades, the denial, the delete); the PVC, Jobs and ConfigMaps gone
 * after the delete; then Ctrl-C (SIGINT to the whole group) stops every process within 5 s.
 */
@Tag("e2e")
class MakeRunE2E {

    private static final String READY = "Ctrl-C stops everything.";
    private static final Duration START_AND_WALK = Duration.ofMinutes(8);
    private static final Duration CTRL_C_LIMIT = Duration.ofSeconds(5);

    @Test
    void walksTheUpgradeGuideThenStopsOnCtrlCWithinFiveSeconds() throws Exception {
        List<String> command = List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName());
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    if (line.equals(READY)) ready.complete(null);
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.complete(null);
        });
        try {
            ready.get(START_AND_WALK.toSeconds(), TimeUnit.SECONDS);
            String output = String.join("\n", lines);
            assertThat(output).as(output).contains(READY).doesNotContain("The walkthrough stopped")
                    .contains("SIMULATED: this machine runs no kubelet")
                    .contains("kubectl of the same release: " + ControlPlaneBinaries.kubectl());
            assertThat(statesOf(UpgradeWalkthrough.UPGRADE, lines)).as(output)
                    .containsSubsequence("OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "Succeeded")
                    .last().isEqualTo("Succeeded");
            assertThat(statesOf(UpgradeWalkthrough.FAILING_UPGRADE, lines)).as(output)
                    .containsSubsequence("UpdatingMeta", "UpdateMetaFailed", "RollbackRestoringOldMeta", "RollbackedSucceeded")
                    .last().isEqualTo("RollbackedSucceeded");
            assertThat(output).contains("loses built indexes").contains("milvusdb/milvus:v2.2.0")
                    .contains("\"" + UpgradeWalkthrough.UPGRADE + "\" deleted").contains("No resources found in default namespace.");

            Path kubeconfig = kubeconfig(output);
            Kubectl.Result left = Kubectl.run(kubeconfig, null, "get", "mup,pvc,jobs,configmaps", "-A", "-o", "name");
            assertThat(left.exitCode()).as(left.output()).isZero();
            assertThat(left.stdout().lines()).as("after the delete")
                    .noneMatch(l -> l.contains("/" + UpgradeWalkthrough.UPGRADE))
                    .anyMatch(l -> l.contains("persistentvolumeclaim/" + UpgradeWalkthrough.FAILING_UPGRADE)); // the other one's stays

            List<ProcessHandle> group = new ArrayList<>(run.descendants().toList());
            group.add(run.toHandle());
            assertThat(group).as("etcd, kube-apiserver, webhook, controller and the main process").hasSizeGreaterThanOrEqualTo(5);
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-INT", "--", "-" + run.pid()).inheritIO().start().waitFor();
            long deadline = start + Duration.ofSeconds(30).toNanos();
            while (group.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the processes' exit, with a deadline
            }
            Duration stop = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("make run: Ctrl-C stopped all " + group.size() + " processes in " + stop.toMillis() + " ms");
            assertThat(group).as("still alive after Ctrl-C").noneMatch(ProcessHandle::isAlive);
            assertThat(stop).as("Ctrl-C to every process gone").isLessThan(CTRL_C_LIMIT);
            assertThat(String.join("\n", lines)).contains("stopping ...");
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
            System.out.println(String.join("\n", lines));
        }
    }

    /** The states the walkthrough printed for one upgrade: the lines after its {@code kubectl get mup NAME -w}. */
    private static List<String> statesOf(String upgrade, List<String> lines) {
        List<String> states = new ArrayList<>();
        boolean watching = false;
        Pattern state = Pattern.compile("^ {3}(\\(new\\)|[A-Za-z]+) +\\d+\\.\\d s$");
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("$ kubectl get mup " + upgrade + " -w")) {
                    watching = true;
                    continue;
                }
                if (!watching) continue;
                Matcher m = state.matcher(line);
                if (!m.matches()) break;
                states.add(m.group(1));
            }
        }
        return states;
    }

    private static Path kubeconfig(String output) {
        Matcher m = Pattern.compile("export KUBECONFIG=(\\S+)").matcher(output);
        assertThat(m.find()).as("the KUBECONFIG line").isTrue();
        return Path.of(m.group(1));
    }
}
