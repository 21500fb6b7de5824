package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline review, run in-process as `java -jar milvus-webhook.jar review ...` would. */
class ReviewCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static final String UPGRADE = """
            apiVersion: milvus.io/v1beta1
            kind: MilvusUpgrade
            metadata:
              name: my-release-upgrade
            spec:
              milvus:
                name: my-release
              sourceVersion: "v2.1.4"
              targetVersion: "%s"
            """;

    @Test
    void anAllowedUpgradeExitsZeroWithPatchAndDefaultedObject() throws Exception {
        CliRun run = run("review", "-f", write("u.yaml", UPGRADE.formatted("v2.2.0")).toString(), "--namespace", "prod");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("allowed: true").contains("op: add").contains("targetImage: milvusdb/milvus:v2.2.0")
                .contains("namespace: prod").contains("maxRetry: 3");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aDeniedUpgradeExitsOneWithTheCauses() throws Exception {
        CliRun run = run("review", "-f", write("u.yaml", UPGRADE.formatted("2.6.0")).toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("allowed: false").contains("field: spec.targetVersion")
                .contains("upgrade to 2.5.16 with a MilvusUpgrade");
    }

    @Test
    void theImageGuardRunsOnUpdates() throws Exception {
        String milvus = "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata: {name: my-release, namespace: default}\nspec:\n  components: {image: \"%s\"}\n";
        Path old = write("old.yaml", milvus.formatted("milvusdb/milvus:v2.1.4"));
        CliRun jump = run("review", "-f", write("new.yaml", milvus.formatted("milvusdb/milvus:v2.2.0")).toString(), "--old", old.toString());
        assertThat(jump.exitCode()).isEqualTo(1);
        assertThat(jump.out()).contains("loses built indexes");
        CliRun patch = run("review", "-f", write("patch.yaml", milvus.formatted("milvusdb/milvus:v2.1.5")).toString(), "--old", old.toString());
        assertThat(patch.exitCode()).isZero();
    }

    @Test
    void aPolicyFileIsUsed() throws Exception {
        Path policy = write("policy.yaml", "rules: {upgradePath: warn}\n");
        CliRun run = run("review", "-f", write("u.yaml", UPGRADE.formatted("2.6.0")).toString(), "--policy", policy.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("upgrade to 2.5.16 with a MilvusUpgrade");
    }

    @Test
    void badInputExitsTwoWithOneLine() throws Exception {
        assertBadInput(run("review", "-f", dir.resolve("missing.yaml").toString()), "no such file");
        assertBadInput(run("review", "-f", write("bad.yaml", "kind: [unclosed").toString()), "is not YAML");
        assertBadInput(run("review", "-f", write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n").toString()), "unknown kind 'Pod'");
        assertBadInput(run("review", "-f", write("two.yaml", UPGRADE.formatted("2.2.0") + "---\n" + UPGRADE.formatted("2.2.0")).toString()), "2 documents");
        assertBadInput(run("review", "-f", write("list.yaml", "- a\n- b\n").toString()), "not a Kubernetes object");
        assertBadInput(run("review", "-f", write("u.yaml", UPGRADE.formatted("2.2.0")).toString(), "--policy", write("p.yaml", "nope: 1").toString()), "unknown field 'nope'");
        assertBadInput(run("review"), "Missing required option");
        assertBadInput(run("review", "-f", "x", "--bogus"), "Unknown option");
    }

    private static void assertBadInput(CliRun run, String reason) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(reason);
        assertThat(run.oneLineOnStderr()).as("one line: " + run.err()).isTrue();
    }
}
