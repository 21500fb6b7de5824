package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;

class RequiredMilvusRuleTest {

    @Test
    void anUpgradeNamesItsMilvus() {
        Verdict verdict = check(new RequiredMilvusRule(), "sourceVersion: 2.1.4\ntargetVersion: 2.2.0\n", ClusterLookup.none());
        assertThat(verdict.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.milvus.name");
            assertThat(e.type()).isEqualTo(FieldError.Type.REQUIRED);
            assertThat(e.message()).contains("name the Milvus to upgrade");
        });
        assertThat(check(new RequiredMilvusRule(), "milvus: {name: \"\"}\n", ClusterLookup.none()).isAllowed()).as("an empty name").isFalse();
        assertThat(check(new RequiredMilvusRule(), spec("2.1.4", "2.2.0"), ClusterLookup.none()).errors()).isEmpty();
    }
}
