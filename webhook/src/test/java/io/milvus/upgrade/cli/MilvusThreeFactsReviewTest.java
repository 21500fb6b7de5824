package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 22's facts, one row each, allowed and denied, through the offline review as an admin runs
 * it: {@code review new.yaml --old old.yaml [--policy p.yaml]}. Specs are one-line YAML flow
 * mappings of Milvus default/my-release; the exit code is 0 (allowed, warnings included) or 1
 * (denied), and the output holds the expected text.
 */
class MilvusThreeFactsReviewTest {

    private static final String WOODPECKER_26 = "mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 0}, ";
    private static final String PULSAR_26 = "mode: cluster, dependencies: {msgStreamType: pulsar}, components: {mixCoord: {replicas: 1}, ";
    private static final String FOUR_COORDINATORS = "mode: cluster, components: {rootCoord: {replicas: 1}, dataCoord: {replicas: 1}, queryCoord: {replicas: 1}, indexCoord: {replicas: 1}, ";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // fact                                  | old spec                                                  | new spec                                                   | policy | exit | expected
            // 2.6 -> 3.0, with all its conditions
            "3.0 from 2.6.20, cluster, woodpecker     | W26 image: milvusdb/milvus:v2.6.20}                        | W26 image: milvusdb/milvus:v3.0.5}                         | | 0 | ALLOWED",
            "3.0 from 2.6.11, pulsar: warned          | P26 image: milvusdb/milvus:v2.6.11}                        | P26 image: milvusdb/milvus:v3.0.0}                         | | 0 | was validated from 2.6.20, not 2.6.11; validate it in a non-production environment first, or take the safe path: change spec.components.image to milvusdb/milvus:v2.6.24, then",
            "3.0 from 2.6.20, standalone              | mode: standalone, components: {image: milvusdb/milvus:v2.6.20} | mode: standalone, components: {image: milvusdb/milvus:v3.0.5} | | 0 | ALLOWED",
            "validatedSource enforced                 | P26 image: milvusdb/milvus:v2.6.11}                        | P26 image: milvusdb/milvus:v3.0.5}                         | 'rules: {validatedSource: enforce}' | 1 | was validated from 2.6.20, not 2.6.11",
            "no 2.5 -> 3.0                            | mode: cluster, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.5.27} | mode: cluster, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v3.0.5} | | 1 | no single step from 2.5.x to 3.0.x; the safe path: change spec.components.image to milvusdb/milvus:v2.6.24, then change spec.components.image to milvusdb/milvus:v3.0.5",
            "never back to 2.6                        | W26 image: milvusdb/milvus:v3.0.5}                         | W26 image: milvusdb/milvus:v2.6.24}                        | | 1 | downgrading from 3.0.5 to 2.6.24 crosses a minor version, whose metadata the older version cannot read; to undo a MilvusUpgrade, set its operation to rollback; otherwise stay on 3.0",
            "never back to 2.6, even declared         | W26 image: milvusdb/milvus:v3.0.5}                         | W26 image: milvusdb/milvus:v2.6.24, imageUpdateMode: rollingDowngrade} | | 1 | downgrading from 3.0.5 to 2.6.24 crosses a minor version",
            "queue frozen in the 3.0 step             | P26 image: milvusdb/milvus:v2.6.24}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v3.0.5}' | | 1 | spec.dependencies.msgStreamType: must not change in the same update as the image step from 2.6.24 to 3.0.5",
            "mode frozen in the 3.0 step              | mode: standalone, components: {image: milvusdb/milvus:v2.6.24} | mode: cluster, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v3.0.5} | | 1 | spec.mode: must not change in the same update",
            "topology frozen in the 3.0 step          | W26 image: milvusdb/milvus:v2.6.24}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, indexNode: {replicas: 0}, image: milvusdb/milvus:v3.0.5}' | | 1 | the components Milvus runs must not change in the same update as the image step from 2.6.24 to 3.0.5",
            "indexNode kept at 0 in the 3.0 step      | W26 image: milvusdb/milvus:v2.6.24}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 1}, image: milvusdb/milvus:v3.0.5}' | | 1 | spec.components.indexNode.replicas: 1: the step from 2.6.24 to 3.0.5 keeps indexNode at 0 replicas",
            "3.0 patch within the line                | W26 image: milvusdb/milvus:v3.0.1}                         | W26 image: milvusdb/milvus:v3.0.5}                         | | 0 | ALLOWED",
            // queue switches outside a version step
            "pulsar -> woodpecker on 2.6.11           | P26 image: milvusdb/milvus:v2.6.11}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.11}' | | 1 | switching the message queue from pulsar to woodpecker needs Milvus 2.6.13 or later, not 2.6.11; keep msgStreamType: pulsar and upgrade first (the safe path: change spec.components.image to milvusdb/milvus:v2.6.24",
            "pulsar -> woodpecker on 2.6.13           | P26 image: milvusdb/milvus:v2.6.13}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.13}' | | 0 | ALLOWED",
            "kafka -> woodpecker on 2.6.24            | 'mode: cluster, dependencies: {msgStreamType: kafka}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.24}' | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.24}' | | 0 | ALLOWED",
            "woodpecker -> kafka never                | W26 image: milvusdb/milvus:v3.0.5}                         | 'mode: cluster, dependencies: {msgStreamType: kafka}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 0}, image: milvusdb/milvus:v3.0.5}' | | 1 | switching the message queue from woodpecker to kafka is not supported by Milvus; keep msgStreamType: woodpecker",
            "queueSwitch warn                         | P26 image: milvusdb/milvus:v2.6.11}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.11}' | 'rules: {queueSwitch: warn}' | 0 | needs Milvus 2.6.13 or later",
            // versions read as the operator reads them
            "stale version field under a 2.6 tag      | 'mode: cluster, components: {mixCoord: {replicas: 1}, version: 2.5.16, image: milvusdb/milvus:v2.5.16}' | 'mode: cluster, components: {mixCoord: {replicas: 1}, version: 2.5.16, image: milvusdb/milvus:v2.6.24}' | | 1 | spec.components.version: \"milvusdb/milvus:v2.6.24\" is 2.6.24, but the operator reads spec.components.version \"2.5.16\" as older than 2.6 and would run it with that layout; set spec.components.version: 2.6.24 so the operator keeps the 2.6 or later layout",
            "tag@digest: the operator reads the digest | 'mode: cluster, components: {mixCoord: {replicas: 1}, image: \"milvusdb/milvus:v2.5.16@sha256:1111111111111111111111111111111111111111111111111111111111111111\"}' | 'mode: cluster, components: {mixCoord: {replicas: 1}, image: \"milvusdb/milvus:v2.6.24@sha256:2222222222222222222222222222222222222222222222222222222222222222\"}' | | 1 | set spec.components.version: 2.6.24 so the operator keeps the 2.6 or later layout",
            "tag@digest with the version field set    | 'mode: cluster, components: {mixCoord: {replicas: 1}, version: 2.5.16, image: \"milvusdb/milvus:v2.5.16@sha256:1111111111111111111111111111111111111111111111111111111111111111\"}' | 'mode: cluster, components: {mixCoord: {replicas: 1}, version: 2.6.24, image: \"milvusdb/milvus:v2.6.24@sha256:2222222222222222222222222222222222222222222222222222222222222222\"}' | | 0 | ALLOWED",
            "digest only                              | W26 image: milvusdb/milvus:v2.6.24}                        | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 0}, image: \"milvusdb/milvus@sha256:2222222222222222222222222222222222222222222222222222222222222222\"}' | | 1 | set spec.components.version to the version this image is",
            "nightly master- on a 2.5 cluster         | FC image: milvusdb/milvus:v2.5.27}                         | FC image: milvusdb/milvus:master-20261201-1a2b3c4d-amd64}  | | 1 | a nightly tag can point to another version at any time",
            "nightly: the operator counts it as 2.6+  | FC image: milvusdb/milvus:v2.5.27}                         | FC image: milvusdb/milvus:master-20261201-1a2b3c4d-amd64}  | | 1 | as 2.6 or later",
            "beta tag v3.0-beta                       | W26 image: milvusdb/milvus:v2.6.24}                        | W26 image: milvusdb/milvus:v3.0-beta}                      | | 1 | set spec.components.version to the version this image is (e.g. 3.0.0-beta)",
            "beta tag with its version: a pre-release no step reaches        | W26 image: milvusdb/milvus:v2.6.24}                        | W26 image: milvusdb/milvus:v3.0-beta, version: 3.0.0-beta}  | | 1 | no sequence of the policy's steps leads from 2.6.24 to 3.0.0-beta",
            "branch build 2.6-20250613-...            | W26 image: milvusdb/milvus:v2.6.24}                        | W26 image: milvusdb/milvus:2.6-20250613-0a1b2c3d}          | | 1 | as older than 2.6 and picks that component layout",
            // one image-name rule
            "docker.io/ is Docker Hub                 | 'components: {image: milvusdb/milvus:v2.5.16}'             | 'components: {image: docker.io/milvusdb/milvus:v2.5.17}'   | 'allowedRepositories: [milvusdb/milvus]' | 0 | ALLOWED",
            "index.docker.io/ is Docker Hub           | 'components: {image: milvusdb/milvus:v2.5.16}'             | 'components: {image: index.docker.io/milvusdb/milvus:v2.5.17}' | 'allowedRepositories: [milvusdb/milvus]' | 0 | ALLOWED",
            "another registry is not                  | 'components: {image: milvusdb/milvus:v2.5.16}'             | 'components: {image: quay.io/milvusdb/milvus:v2.5.17}'     | 'allowedRepositories: [milvusdb/milvus]' | 1 | repository quay.io/milvusdb/milvus is not allowed by the policy",
            "a registry with a port                   | 'components: {image: registry.local:5000/milvus/milvus:v2.5.16}' | 'components: {image: registry.local:5000/milvus/milvus:v2.5.17}' | 'allowedRepositories: [registry.local:5000/milvus]' | 0 | ALLOWED",
    })
    void eachFact(String fact, String old, String now, String policy, int exit, String expected) throws Exception {
        List<String> args = new ArrayList<>(List.of("review", write("new.yaml", milvus(now)), "--old", write("old.yaml", milvus(old))));
        if (policy != null) args.addAll(List.of("--policy", write("policy.yaml", policy)));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(fact + "\n" + run.out() + run.err()).isEqualTo(exit);
        assertThat(run.out()).as(fact).contains(expected);
    }

    private static String milvus(String spec) {
        String expanded = spec.replace("W26 ", WOODPECKER_26).replace("P26 ", PULSAR_26).replace("FC ", FOUR_COORDINATORS);
        return "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata: {name: my-release, namespace: default}\nspec: {" + expanded + "}\n";
    }

    private String write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content).toString();
    }
}
