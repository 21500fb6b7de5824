package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.testing.Objects.milvus;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One row per documented constraint and per way around the guard (issue 13), allowed and denied,
 * through the whole guard under the built-in policy. Specs are one-line YAML flow mappings.
 */
class GuardConstraintsTest {

    private static final AdmissionContext USER = new AdmissionContext("u", Operation.UPDATE, "default", "my-release", "alice", List.of(), false);

    private static final String COORDS = "rootCoord: {replicas: 1}, dataCoord: {replicas: 1}, queryCoord: {replicas: 1}, indexCoord: {replicas: 1}";

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // 2.1 → 2.2 and later only through a MilvusUpgrade
            "migration         | deny  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {image: milvusdb/milvus:v2.2.0}}' | spec.components.image | loses built indexes; create a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.2.0)",
            "migration to 2.6  | deny  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | a MilvusUpgrade migrates to >=2.2.0 <2.6.0 only; the safe path: upgrade to 2.5.16 with a MilvusUpgrade",
            // skipping minors below 2.6
            "skip minors       | allow | '{components: {image: milvusdb/milvus:v2.2.3}}' | '{components: {image: milvusdb/milvus:v2.5.27}}' | '' | ''",
            "rolling from 2.2.3| allow | '{components: {image: milvusdb/milvus:v2.2.3}}' | '{components: {image: milvusdb/milvus:v2.5.27, enableRollingUpdate: true}}' | '' | ''",
            "rolling before    | deny  | '{components: {image: milvusdb/milvus:v2.2.0}}' | '{components: {image: milvusdb/milvus:v2.5.27, enableRollingUpdate: true}}' | spec.components.enableRollingUpdate | works from 2.2.3 on, not from 2.2.0",
            "2.4 → 2.6         | deny  | '{components: {image: milvusdb/milvus:v2.4.17}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | no single step from 2.4.x to 2.6.x; the safe path: change spec.components.image to milvusdb/milvus:v2.5.16, then change spec.components.image to milvusdb/milvus:v2.6.11",
            // to 2.6: from 2.5.16, with mixCoord, never from 2.6.0-rc1, same queue, same mode
            "2.5.3 → 2.6       | deny  | '{components: {image: milvusdb/milvus:v2.5.3}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | starts from 2.5.16 or later, not 2.5.3; the safe path: change spec.components.image to milvusdb/milvus:v2.5.16",
            "2.5.16 → 2.6      | allow | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | '' | ''",
            "mixCoord needed   | deny  | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, ROOTS}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.11, ROOTS}}' | spec.components.mixCoord | needs mixCoord already running",
            "mixCoord same time| deny  | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, ROOTS}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.11, mixCoord: {replicas: 1}}}' | spec.components.mixCoord | enable mixCoord (spec.components.mixCoord) on 2.5.16 first",
            "mixCoord there    | allow | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, mixCoord: {replicas: 1}}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.11, mixCoord: {replicas: 1}}}' | '' | ''",
            "enable mixCoord   | allow | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, ROOTS}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, mixCoord: {replicas: 1}}}' | '' | ''",
            "from 2.6.0-rc1    | deny  | '{components: {image: milvusdb/milvus:v2.6.0-rc1}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | never start from 2.6.0-rc1",
            "2.6 patch         | allow | '{components: {image: milvusdb/milvus:v2.6.0}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | '' | ''",
            "queue frozen      | deny  | '{components: {image: milvusdb/milvus:v2.5.16}, dependencies: {msgStreamType: rocksmq}}' | '{components: {image: milvusdb/milvus:v2.6.11}, dependencies: {msgStreamType: woodpecker}}' | spec.dependencies.msgStreamType | must not change in the same update as the image step from 2.5.16 to 2.6.11",
            "queue on its own  | allow | '{components: {image: milvusdb/milvus:v2.6.11}, dependencies: {msgStreamType: rocksmq}}' | '{components: {image: milvusdb/milvus:v2.6.11}, dependencies: {msgStreamType: woodpecker}}' | '' | ''",
            // downgrades
            "downgrade minor   | deny  | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.4.17}}' | spec.components.image | or declare the downgrade with spec.components.imageUpdateMode: rollingDowngrade",
            "rollingDowngrade  | allow | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.4.17, imageUpdateMode: rollingDowngrade}}' | '' | ''",
            "rolling below 2.2.3| deny | '{components: {image: milvusdb/milvus:v2.4.17}}' | '{components: {image: milvusdb/milvus:v2.2.0, imageUpdateMode: rollingDowngrade}}' | spec.components.image | crosses a minor version",
            "2.6 → 2.5         | deny  | '{components: {image: milvusdb/milvus:v2.6.11}}' | '{components: {image: milvusdb/milvus:v2.5.16, imageUpdateMode: rollingDowngrade}}' | spec.components.image | downgrading from 2.6.11 to 2.5.16 crosses a minor version",
            "2.2 → 2.1         | deny  | '{components: {image: milvusdb/milvus:v2.2.0}}' | '{components: {image: milvusdb/milvus:v2.1.4, imageUpdateMode: rollingDowngrade}}' | spec.components.image | downgrading from 2.2.0 to 2.1.4",
            "patch downgrade   | allow | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.5.10}}' | '' | ''",
            // mode
            "cluster → standalone | deny | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16}}' | '{mode: standalone, components: {image: milvusdb/milvus:v2.5.16}}' | spec.mode | a cluster cannot become standalone",
            "mode dropped      | deny  | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.5.16}}' | spec.mode | unset, which means standalone",
            "standalone stays  | allow | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{mode: standalone, components: {image: milvusdb/milvus:v2.5.16}}' | '' | ''",
            // ways around the guard
            "image removed     | deny  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {}}' | spec.components.image | removing the image runs the operator's default \"milvusdb/milvus:v2.6.11\": changing the image from 2.1.x to 2.6.x loses built indexes",
            "removed on 2.6    | allow | '{components: {image: milvusdb/milvus:v2.6.11}}' | '{components: {}}' | '' | ''",
            "component removed | deny  | '{components: {proxy: {image: milvusdb/milvus:v2.5.3}}}' | '{components: {proxy: {replicas: 2}}}' | spec.components.proxy.image | removing the image runs the operator's default",
            "version field     | deny  | '{components: {image: milvusdb/milvus:custom, version: 2.1.4}}' | '{components: {image: milvusdb/milvus:custom, version: 2.2.0}}' | spec.components.version | loses built indexes",
            "version field ok  | allow | '{components: {image: milvusdb/milvus:custom, version: 2.1.4}}' | '{components: {image: milvusdb/milvus:custom, version: 2.1.5}}' | '' | ''",
            "tag with version  | deny  | '{components: {image: milvusdb/milvus:custom, version: 2.1.4}}' | '{components: {image: milvusdb/milvus:other, version: 2.2.0}}' | spec.components.image | loses built indexes",
            "gpu is a release  | allow | '{components: {image: milvusdb/milvus:v2.5.16-gpu}}' | '{components: {image: milvusdb/milvus:v2.6.11-gpu}}' | '' | ''",
            "gpu jump          | deny  | '{components: {image: milvusdb/milvus:v2.5.3-gpu}}' | '{components: {image: milvusdb/milvus:v2.6.11-gpu}}' | spec.components.image | starts from 2.5.16 or later, not 2.5.3",
            "streamingNode     | deny  | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.6, mixCoord: {}, streamingNode: {}}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.6, mixCoord: {}, streamingNode: {image: milvusdb/milvus:v2.4.0}}}' | spec.components.streamingNode.image | downgrading from 2.6.6 to 2.4.0",
            "cdc               | deny  | '{components: {image: milvusdb/milvus:v2.6.6, cdc: {}}}' | '{components: {image: milvusdb/milvus:v2.6.6, cdc: {image: milvusdb/milvus:v2.1.4}}}' | spec.components.cdc.image | downgrading from 2.6.6 to 2.1.4",
            "spec.image        | deny  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{image: milvusdb/milvus:v2.2.0, components: {image: milvusdb/milvus:v2.1.4}}' | spec.image | did you mean spec.components.image?",
            "spec.proxy.image  | deny  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{proxy: {image: milvusdb/milvus:v2.2.0}, components: {image: milvusdb/milvus:v2.1.4}}' | spec.proxy.image | did you mean spec.components.proxy.image?",
            "misspelt component| deny  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {image: milvusdb/milvus:v2.1.4, queryNodes: {image: milvusdb/milvus:v2.2.0}}}' | spec.components.queryNodes.image | did you mean one of spec.components.",
    })
    void constraint(String name, String verdict, String before, String after, String field, String message) {
        Verdict result = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster())
                .validateUpdate(milvus("my-release", before.replace("ROOTS", COORDS)), milvus("my-release", after.replace("ROOTS", COORDS)), USER);
        if (verdict.equals("allow")) {
            assertThat(result.errors()).as(name).isEmpty();
        } else {
            assertThat(result.errors()).as(name).extracting(FieldError::field).contains(field);
            assertThat(result.errors()).as(name).filteredOn(e -> e.field().equals(field))
                    .anySatisfy(e -> assertThat(e.message()).contains(message));
        }
    }
}
