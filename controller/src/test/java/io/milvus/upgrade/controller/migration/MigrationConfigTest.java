package io.milvus.upgrade.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.testing.Objects;
import io.milvus.upgrade.version.Version;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MigrationConfigTest {

    static JsonNode parse(MigrationConfig config) throws Exception {
        return new YAMLMapper().readTree(config.toYaml());
    }

    static MigrationConfig config(TaskKind kind, Milvus milvus) throws Exception {
        return MigrationConfig.of(kind, Version.of("v2.1.4"), Version.of("2.2.0"), milvus);
    }

    @ParameterizedTest
    @CsvSource({"BACKUP, backup", "UPDATE, run", "ROLLBACK, rollback"})
    void theYamlHasEveryFieldTheToolReads(TaskKind kind, String command) throws Exception {
        JsonNode yaml = parse(config(kind, Objects.milvus("my-release", "mode: standalone")));

        assertThat(yaml.at("/cmd/type").asText()).isEqualTo(command);
        assertThat(yaml.at("/config/sourceVersion").asText()).isEqualTo("2.1.4");
        assertThat(yaml.at("/config/targetVersion").asText()).isEqualTo("2.2.0");
        assertThat(yaml.at("/config/backupFilePath").asText()).isEqualTo("/milvus/data/migration.bak");
        assertThat(yaml.at("/metastore/type").asText()).isEqualTo("etcd");
        assertThat(yaml.at("/etcd/endpoints").isArray()).isTrue();
        assertThat(yaml.at("/etcd/endpoints/0").asText()).isEqualTo("my-release-etcd.default:2379");
        assertThat(yaml.at("/etcd/rootPath").asText()).isEqualTo("my-release");
        assertThat(yaml.at("/etcd/metaSubPath").asText()).isEqualTo("meta");
        assertThat(yaml.at("/etcd/kvSubPath").asText()).isEqualTo("kv");
    }

    @Test
    void allGivenEndpointsGoIntoOneList() throws Exception {
        Milvus milvus = Objects.milvus("my-release", """
                dependencies:
                  etcd:
                    external: true
                    endpoints: ["a:2379", "", "b:2379", "c:2379"]
                """);
        assertThat(parse(config(TaskKind.BACKUP, milvus)).at("/etcd/endpoints"))
                .extracting(JsonNode::asText).containsExactly("a:2379", "b:2379", "c:2379");
    }

    @Test
    void pathsComeFromMilvusConfigWhenSet() throws Exception {
        Milvus milvus = Objects.milvus("my-release", """
                config:
                  etcd:
                    rootPath: custom
                    metaSubPath: m1
                    kvSubPath: k1
                """);
        JsonNode etcd = parse(config(TaskKind.UPDATE, milvus)).at("/etcd");
        assertThat(List.of(etcd.at("/rootPath").asText(), etcd.at("/metaSubPath").asText(), etcd.at("/kvSubPath").asText()))
                .containsExactly("custom", "m1", "k1");
    }

    @Test
    void anExternalEtcdWithoutEndpointsIsAnErrorNotAGuess() {
        Milvus milvus = Objects.milvus("my-release", "dependencies: {etcd: {external: true}}");
        assertThatThrownBy(() -> config(TaskKind.BACKUP, milvus))
                .isInstanceOf(MigrationConfig.MissingEtcdException.class)
                .hasMessageContaining("spec.dependencies.etcd.endpoints is empty");
    }

    @Test
    void preReleaseVersionsKeepTheirSuffixWithoutTheV() throws Exception {
        MigrationConfig config = MigrationConfig.of(TaskKind.UPDATE, Version.of("v2.1.0"), Version.of("v2.2.1-rc1"),
                Objects.milvus("m", ""));
        assertThat(parse(config).at("/config/targetVersion").asText()).isEqualTo("2.2.1-rc1");
    }
}
