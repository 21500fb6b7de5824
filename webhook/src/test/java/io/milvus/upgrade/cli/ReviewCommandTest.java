package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline review of single manifests and bad input, run in-process as `bin/milvus-webhook review ...` would. */
class ReviewCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    static final String UPGRADE = """
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

    private static final String MILVUS = "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata: {name: my-release, namespace: default}\nspec:\n  components: {image: \"%s\"}\n";

    @Test
    void anAllowedUpgradeExitsZeroAndShowsTheDefaults() throws Exception {
        CliRun run = run("review", "-f", write("u.yaml", UPGRADE.formatted("v2.2.0")).toString(), "--namespace", "prod");
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("MilvusUpgrade prod/my-release-upgrade (create)")
                .contains("default: /spec/targetImage = \"milvusdb/milvus:v2.2.0\"").contains("default: /spec/maxRetry = 3")
                .contains("1 document: 0 allowed, 1 warned");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void withoutOldTheClusterRulesAreSkippedWithAWarningThatSaysWhatToPass() throws Exception {
        CliRun run = run("review", write("u.yaml", UPGRADE.formatted("v2.2.0")).toString());
        assertThat(run.out()).startsWith("WARNED").contains("warning: could not read Milvus default/my-release")
                .contains("pass --old with the objects as deployed");
        assertThat(run.exitCode()).isZero();
        assertThat(run("review", "--strict", dir.resolve("u.yaml").toString()).exitCode()).isEqualTo(1);
    }

    @Test
    void aDeniedUpgradeExitsOneWithTheCauses() throws Exception {
        CliRun run = run("review", "-f", write("u.yaml", UPGRADE.formatted("2.6.0")).toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("DENIED").contains("denied: spec.targetVersion:")
                .contains("upgrade to 2.5.27 with a MilvusUpgrade");
    }

    @Test
    void theImageGuardRunsOnUpdatesMatchedInOld() throws Exception {
        Path old = write("old.yaml", MILVUS.formatted("milvusdb/milvus:v2.1.4"));
        CliRun jump = run("review", "-f", write("new.yaml", MILVUS.formatted("milvusdb/milvus:v2.2.0")).toString(), "--old", old.toString());
        assertThat(jump.exitCode()).isEqualTo(1);
        assertThat(jump.out()).contains("Milvus default/my-release (update)").contains("loses built indexes");
        CliRun patch = run("review", "-f", write("patch.yaml", MILVUS.formatted("milvusdb/milvus:v2.1.5")).toString(), "--old", old.toString());
        assertThat(patch.exitCode()).isZero();
        assertThat(patch.out()).startsWith("ALLOWED");
    }

    @Test
    void aPolicyFileIsUsed() throws Exception {
        Path policy = write("policy.yaml", "rules: {upgradePath: warn}\n");
        CliRun run = run("review", "-f", write("u.yaml", UPGRADE.formatted("2.6.0")).toString(), "--policy", policy.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("warning: ").contains("upgrade to 2.5.27 with a MilvusUpgrade");
    }

    @Test
    void standardInputIsRead() throws Exception {
        String documents = UPGRADE.formatted("v2.2.0") + "---\n" + MILVUS.formatted("milvusdb/milvus:v2.2.0");
        Path old = write("old.yaml", MILVUS.formatted("milvusdb/milvus:v2.1.4"));
        CliRun run = withStdin(documents, () -> run("review", "-", "--old", old.toString()));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("- (document 1): MilvusUpgrade default/my-release-upgrade (create)")
                .contains("DENIED     - (document 2): Milvus default/my-release (update)");
    }

    @Test
    void aMalformedObjectIsUnreadableNotDenied() throws Exception {
        // The guide's example with metadata's fields not indented under it.
        String misIndented = "apiVersion: milvus.io/v1beta1\nkind: MilvusUpgrade\nmetadata:\nname: my-release-upgrade\nspec:\n"
                + "  milvus: {name: my-release}\n  sourceVersion: v2.1.4\n  targetVersion: v2.2.0\n";
        assertUnreadable(run("review", write("m.yaml", misIndented).toString()), "m.yaml (document 1): unknown top-level field 'name'");
        assertUnreadable(run("review", write("e.yaml", "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata:\nspec: {}\n").toString()),
                "e.yaml (document 1): metadata is missing or empty");
        assertUnreadable(run("review", write("t.yaml", UPGRADE.formatted("v2.2.0").replace("name: my-release\n", "name: [my-release]\n")).toString()),
                "t.yaml (document 1): ");
        assertUnreadable(run("review", write("k.yaml", "apiVersion: milvus.io/v1beta1\nkind: MilvusUpgrad\nmetadata: {name: x}\n").toString()),
                "unknown kind 'MilvusUpgrad'");
    }

    @Test
    void badInputExitsTwoWithOneLineNamingFileAndDocument() throws Exception {
        assertUnreadable(run("review", "-f", dir.resolve("missing.yaml").toString()), "missing.yaml: no such file");
        assertUnreadable(run("review", write("bad.yaml", UPGRADE.formatted("2.2.0") + "---\nkind: [unclosed\n").toString()), "bad.yaml (document 2): not YAML");
        assertUnreadable(run("review", write("list.yaml", "- a\n- b\n").toString()), "list.yaml (document 1): not a Kubernetes object");
        assertUnreadable(run("review", write("u.yaml", UPGRADE.formatted("2.2.0")).toString(), "--policy", write("p.yaml", "nope: 1").toString()), "unknown field 'nope'");
        Path old = write("old.yaml", MILVUS.formatted("milvusdb/milvus:v2.1.4") + "---\n" + MILVUS.formatted("milvusdb/milvus:v2.1.5"));
        assertUnreadable(run("review", dir.resolve("u.yaml").toString(), "--old", old.toString()),
                "old.yaml (document 2): --old: a second previous version of Milvus default/my-release");
        assertUnreadable(run("review"), "name the manifests to review");
        assertUnreadable(run("review", "-o", "xml", "x"), "unknown output format 'xml'");
        assertUnreadable(run("review", "x", "--bogus"), "Unknown option");
    }

    @Test
    void otherKindsAreSkipped() throws Exception {
        CliRun run = run("review", write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("SKIPPED").contains("Pod default/p: not a milvus.io object");
    }

    private static void assertUnreadable(CliRun run, String reason) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(reason);
        assertThat(run.oneLineOnStderr()).as("one line: " + run.err()).isTrue();
    }

    static CliRun withStdin(String text, java.util.function.Supplier<CliRun> body) {
        var saved = ReviewCommand.stdin;
        ReviewCommand.stdin = new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            return body.get();
        } finally {
            ReviewCommand.stdin = saved;
        }
    }
}
