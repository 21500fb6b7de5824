package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code plan}, run in-process as `java -jar milvus-webhook.jar plan ...` would. */
class PlanCommandTest {

    @TempDir
    Path dir;

    private Path milvus(String version, String components) throws Exception {
        return Files.writeString(dir.resolve("milvus.yaml"), """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata:
                  name: my-release
                  namespace: default
                spec:
                  mode: cluster
                  components:
                    image: milvusdb/milvus:v%s
                %s""".formatted(version, components.indent(4)));
    }

    private static final String FOUR_COORDINATORS = "rootCoord: {replicas: 1}\ndataCoord: {replicas: 1}\nqueryCoord: {replicas: 1}\nindexCoord: {replicas: 1}\n";

    @Test
    void theWholeWalkFrom214To2611() throws Exception {
        CliRun run = CliRun.of("plan", "-f", milvus("2.1.4", FOUR_COORDINATORS).toString(), "--to", "2.6.11");
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Milvus default/my-release: 2.1.4 → 2.6.11, 3 steps")
                .contains("1. Migrate the metadata from 2.1.4 to 2.5.27 with MilvusUpgrade my-release-upgrade-2-5-27")
                .contains("kind: MilvusUpgrade").contains("sourceVersion: 2.1.4").contains("targetVersion: 2.5.27")
                .contains("kubectl wait --for=condition=Upgraded -n default milvusupgrade/my-release-upgrade-2-5-27")
                .contains("2. Enable mixCoord")
                .contains("\"path\":\"/spec/components/mixCoord\"")
                .contains("3. Change the image from 2.5.27 to 2.6.11 (milvusdb/milvus:v2.6.11)")
                .contains("kubectl patch milvus my-release -n default --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/components/image\",\"value\":\"milvusdb/milvus:v2.6.11\"}]'");
    }

    @ParameterizedTest(name = "{0} → {1}: exit {2}")
    @CsvSource(delimiter = '|', value = {
            "2.1.4     | 2.2.0  | 0 | migrateMetadata",
            "2.1.4     | 2.5.16 | 0 | migrateMetadata",
            "2.4.17    | 2.6.11 | 0 | changeImage,enableMixCoord,changeImage",
            "2.6.0-rc1 | 2.6.11 | 1 | never start from 2.6.0-rc1",
            "2.6.11    | 2.5.16 | 1 | allows no downgrade",
    })
    void structuredOutputForTools(String from, String to, int exit, String expected) throws Exception {
        CliRun run = CliRun.of("plan", "-f", milvus(from, FOUR_COORDINATORS).toString(), "--to", to, "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exit);
        JsonNode report = ApiSerialization.json().readTree(run.out());
        if (exit == 0) {
            assertThat(report.path("steps").findValuesAsText("action")).containsExactly(expected.split(","));
        } else {
            assertThat(report.path("path").asBoolean()).isFalse();
            assertThat(report.path("why").asText()).contains(expected);
        }
        CliRun text = CliRun.of("plan", "-f", milvus(from, FOUR_COORDINATORS).toString(), "--to", to);
        System.out.println("$ plan " + from + " → " + to + " (cluster, four coordinators)\n" + text.out());
    }

    private static final String TWO_SIX_CLUSTER = "mixCoord: {replicas: 1}\nstreamingNode: {replicas: 1}\nindexNode: {replicas: 0}\n";

    /** Issue 22's five cases, printed as a user sees them (the report pastes this output). */
    @ParameterizedTest(name = "{0} → {1}: exit {3}")
    @CsvSource(delimiter = '|', value = {
            "2.1.4  | 3.0.5  | four   | 0 | 2.1.4 → 3.0.5, 4 steps | 1. Migrate the metadata from 2.1.4 to 2.5.27 | 4. Change the image from 2.6.24 to 3.0.5",
            "2.4.23 | 3.0.5  | four   | 0 | 2.4.23 → 3.0.5, 4 steps | 1. Change the image from 2.4.23 to 2.5.27 | 3. Change the image from 2.5.27 to 2.6.24",
            "2.6.11 | 3.0.5  | two-six | 0 | 2.6.11 → 3.0.5, 2 steps | 1. Change the image from 2.6.11 to 2.6.24 | applying the complete Milvus object",
            "2.5.27 | 3.0.5  | mix    | 0 | 2.5.27 → 3.0.5, 2 steps | 1. Change the image from 2.5.27 to 2.6.24 | 2. Change the image from 2.6.24 to 3.0.5",
            "3.0.5  | 2.6.24 | two-six | 1 | No safe path | allows no downgrade | the older version cannot read the metadata",
    })
    void issue22sCases(String from, String to, String shape, int exit, String first, String second, String third) throws Exception {
        String components = switch (shape) {
            case "four" -> FOUR_COORDINATORS + "indexNode: {replicas: 1}\n";
            case "mix" -> "mixCoord: {replicas: 1}\n";
            default -> TWO_SIX_CLUSTER;
        };
        CliRun run = CliRun.of("plan", "-f", milvus(from, components).toString(), "--to", to);
        System.out.println("$ bin/milvus-webhook plan -f milvus-" + from + ".yaml --to " + to + "   # cluster, " + shape + "\n" + run.out() + "(exit " + run.exitCode() + ")\n");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exit);
        assertThat(run.out()).contains(first).contains(second).contains(third);
    }

    @Test
    void aStandaloneNeedsNoMixCoord() throws Exception {
        Path standalone = Files.writeString(dir.resolve("s.yaml"), """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: my-release, namespace: default}
                spec:
                  mode: standalone
                  components: {image: milvusdb/milvus:v2.5.3}
                """);
        CliRun run = CliRun.of("plan", "-f", standalone.toString(), "--to", "2.6.11", "-o", "yaml");
        System.out.println("$ plan 2.5.3 → 2.6.11 (standalone) -o yaml\n" + run.out());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("action: changeImage").doesNotContain("enableMixCoord")
                .contains("value: milvusdb/milvus:v2.5.27").contains("value: milvusdb/milvus:v2.6.11");
    }

    @Test
    void badInputExitsTwo() throws Exception {
        Path file = milvus("2.1.4", "");
        assertBadInput(CliRun.of("plan", "-f", file.toString(), "--to", "latest"), "is not a version");
        assertBadInput(CliRun.of("plan", "--to", "2.6.11"), "either -f FILE or --milvus NS/NAME");
        assertBadInput(CliRun.of("plan", "-f", file.toString(), "--milvus", "a/b", "--to", "2.6.11"), "either -f FILE or --milvus NS/NAME");
        assertBadInput(CliRun.of("plan", "-f", dir.resolve("missing.yaml").toString(), "--to", "2.6.11"), "no such file");
        assertBadInput(CliRun.of("plan", "-f", Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n").toString(),
                "--to", "2.6.11"), "expected a milvus.io/v1beta1 Milvus");
        assertBadInput(CliRun.of("plan", "--milvus", "no-slash", "--to", "2.6.11"), "NS/NAME");
        assertBadInput(CliRun.of("plan", "-f", file.toString(), "--to", "2.6.11", "-o", "xml"), "Invalid value");
        assertBadInput(CliRun.of("plan", "-f", file.toString()), "Missing required option");
    }

    private static void assertBadInput(CliRun run, String reason) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(reason);
        assertThat(run.oneLineOnStderr()).as("one line: " + run.err()).isTrue();
    }
}
